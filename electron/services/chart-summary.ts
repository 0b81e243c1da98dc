import type { ChartSummary } from '../../shared/domain/chart';
import { immunizationSchedule, immunizationsDue, type DueItem, type ImmunizationSchedule } from '../../shared/domain/immunizations';
import type { Repos } from './repos';
import type { Resources } from './resources/resources';
import { allergyStatusOf } from './repos/allergies.repo';

/** The shipped immunization schedule rules (data, versioned), read and validated once per session. */
export function loadSchedule(resources: Resources): ImmunizationSchedule {
  return resources.json('immunizations/schedule.json', immunizationSchedule);
}

/** Due, overdue, complete and not-applicable series for one patient on a date. */
export function immunizationsDueFor(repos: Repos, patientId: string, on: string): DueItem[] {
  const patient = repos.patients.peek(patientId);
  const history = repos.immunizations
    .list(patientId)
    .map((i) => ({ cvx: i.cvx, date: i.administeredOn, status: i.status === 'not_done' ? ('not_done' as const) : ('completed' as const) }));
  const due = immunizationsDue({ birthDate: patient.birthDate, on, history, schedule: loadSchedule(repos.resources) });
  // Nothing is due for a patient who died: no "overdue" reminders on their chart or in lists.
  if (patient.deceasedOn) return due.map((d) => (d.status === 'complete' ? d : { ...d, status: 'not_applicable', reason: `deceased ${patient.deceasedOn}` }));
  return due;
}

/**
 * The face sheet, assembled from indexed reads only (the caller audits the read): banner,
 * active problems and medications, allergies, last vitals with trend arrows, immunizations due,
 * recent notes and results.
 */
export function buildChartSummary(repos: Repos, patientId: string, today: string): ChartSummary {
  const patient = repos.patients.peek(patientId);
  const allergies = repos.allergies.list(patientId);
  const notes = repos.notes.recent(patientId, 10);
  return {
    patient,
    allergyStatus: allergyStatusOf(allergies),
    allergies: allergies.filter((a) => a.status === 'active'),
    problems: repos.problems.list(patientId).filter((p) => p.status === 'active'),
    medications: repos.medications.active(patientId),
    lastVitals: repos.vitals.latest(patientId),
    immunizationsDue: immunizationsDueFor(repos, patientId, today).filter((d) => d.status === 'due' || d.status === 'overdue'),
    recentNotes: notes,
    recentResults: repos.vitals.recentResults(patientId, 10),
  };
}
