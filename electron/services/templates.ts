import { CairnFailure } from '../../shared/api/result';
import { noteTemplate, type NoteTemplate } from '../../shared/domain/templates';
import type { ResourceProblem, Resources } from './resources/resources';

/** A template file that was skipped: the file, and the JSON path of each issue (or why it could not be read). */
export type TemplateProblem = ResourceProblem;

/**
 * Note templates are data: every *.json in resources/templates (shipped) and in the clinic's own
 * templates folder (beside the database) is validated with the template schema. A broken file is
 * reported by name and skipped; it never takes the others down. A clinic file with the same id
 * as a shipped one replaces it.
 */
export class TemplateLibrary {
  constructor(private readonly resources: Resources) {}

  private load(): { templates: Map<string, NoteTemplate>; problems: TemplateProblem[] } {
    return this.resources.derived('templates', () => {
      const { entries, problems } = this.resources.folder('templates', noteTemplate);
      // Shipped first, then the clinic's folder: a later file with the same id wins.
      return { templates: new Map(entries.map((e) => [e.value.id, e.value])), problems };
    });
  }

  list(): { templates: NoteTemplate[]; problems: TemplateProblem[] } {
    const { templates, problems } = this.load();
    return { templates: [...templates.values()].sort((a, b) => a.title.localeCompare(b.title)), problems };
  }

  get(id: string): NoteTemplate {
    const t = this.load().templates.get(id);
    if (!t) throw new CairnFailure('not_found', `no note template "${id}"`);
    return t;
  }
}
