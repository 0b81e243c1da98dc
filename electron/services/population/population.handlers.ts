import { measuresPdf } from '../documents/measures.pdf';
import type { populationChannels } from '../../../shared/api/population.contract';
import type { AreaHandlers, HandlerContext } from '../handler-context';

/** The population area's handlers, one per channel of shared/api/population.contract.ts. */
export function populationHandlers({ session, now, services, reading, clinicName, today }: HandlerContext): AreaHandlers<typeof populationChannels> {
  return {
    'population.preventive': (i, me) => {
      reading(me, 'population.preventive', i.patientId);
      return services().population.preventive(i.patientId, i.on ?? today());
    },
    // Practice-wide lists read many charts: each run is audited once, with what was asked.
    'population.dueList': (i, me) => {
      session.repos.writer.read('population.due_list', me.actor, null, 'due_list', i.ruleIds?.join(',') ?? 'all');
      return services().population.dueList(i, i.on ?? today());
    },
    'population.dueListCsv': (i, me) => {
      const on = i.on ?? today();
      session.repos.writer.read('population.due_list_export', me.actor, null, 'due_list', i.ruleIds?.join(',') ?? 'all');
      return { fileName: `cairn-due-list-${on}.csv`, csv: services().population.dueListCsv(i, on) };
    },
    'population.measures': (i, me) => {
      session.repos.writer.read('population.measures', me.actor, null, 'measure_report', String(i.year));
      return services().population.measures(i.year, i.providerId);
    },
    'population.measuresTrend': (i, me) => {
      session.repos.writer.read('population.measures', me.actor, null, 'measure_report', String(i.year));
      return services().population.trend(i.year, i.providerId);
    },
    'population.measurePatients': (i, me) => {
      const v = me.viewer;
      session.repos.writer.read('population.measure_patients', v, null, 'measure_report', `${i.year} ${i.measureId} ${i.populationId} ${i.group}`);
      return services().population.patients(i.year, i.measureId, i.populationId, i.group, i.providerId, v.mayOpen);
    },
    'population.measuresCsv': (i, me) => {
      session.repos.writer.read('population.measures_export', me.actor, null, 'measure_report', String(i.year));
      return { fileName: `cairn-measures-${i.year}.csv`, csv: services().population.measuresCsv(i.year, i.providerId) };
    },
    'population.measuresPdf': async (i, me) => {
      session.repos.writer.read('population.measures_export', me.actor, null, 'measure_report', String(i.year));
      const provider = i.providerId ? (session.repos.users.list().find((u) => u.id === i.providerId)?.displayName ?? i.providerId) : null;
      const bytes = await measuresPdf({
        clinicName: clinicName(),
        year: i.year,
        provider,
        measures: services().population.measures(i.year, i.providerId),
        printedAt: now().toISOString(),
      });
      return { fileName: `cairn-measures-${i.year}.pdf`, base64: Buffer.from(bytes).toString('base64') };
    },
  };
}
