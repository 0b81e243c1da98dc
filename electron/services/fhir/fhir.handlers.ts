import { FhirImporter } from './import';
import type { fhirChannels } from '../../../shared/api/fhir.contract';
import type { AreaHandlers, HandlerContext } from '../handler-context';

/** The fhir area's handlers, one per channel of shared/api/fhir.contract.ts. */
export function fhirHandlers({ session }: HandlerContext): AreaHandlers<typeof fhirChannels> {
  return {
    'fhir.importBundle': (i, me) => {
      // A restricted chart an earlier import made is changed only with the glass broken for it.
      const importer = new FhirImporter(session.repos, me.actor, {
        mayChange: (pid) => !session.repos.patients.isRestricted(pid) || session.mayOpenRestricted(pid),
      });
      importer.importText(i.text, i.fileName);
      return importer.summary;
    },
  };
}
