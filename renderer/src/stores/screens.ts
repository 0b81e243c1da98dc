import type { Channel } from '../../../shared/api/channels';
import { can } from '../../../shared/api/permissions';
import type { Role } from '../../../shared/domain/user';
import type { View } from './nav.store';

/**
 * The channel each screen cannot work without. A role that may not call it is not offered the
 * screen (navigation, links, buttons) and never lands on it: the permission matrix is the one rule.
 */
const NEEDS: { readonly [N in View['name']]: Channel } = {
  search: 'patients.search',
  register: 'patients.create',
  schedule: 'schedule.list',
  'flow-board': 'schedule.list',
  'portal-inbox': 'portal.inbox',
  'documents-inbox': 'documents.inbox',
  // The address book is the screen's part every role with the screen has (administrators keep it only).
  referrals: 'referrals.contacts.list',
  care: 'care.list',
  users: 'users.list',
  audit: 'audit.search',
  doctor: 'doctor.run',
  import: 'fhir.importBundle',
  billing: 'billing.claims',
  population: 'population.dueList',
  conflicts: 'sync.conflicts.list',
  chart: 'patients.chartHeader',
  encounter: 'encounters.get',
  'labs-inbox': 'labs.inbox',
};

/** Whether `role` may see the screen named `name`. */
export function mayShow(role: Role | null, name: View['name']): boolean {
  return can(role, NEEDS[name]);
}

/**
 * The screen a person lands on after signing in (or when asked for a screen they may not see):
 * finding a patient, which every role's menu has, never the last person's screen.
 */
export function homeView(role: Role | null): View {
  if (mayShow(role, 'search')) return { name: 'search' };
  // A role without patient search (none today) starts on the first screen it may use.
  const first = (Object.keys(NEEDS) as View['name'][]).find((n) => n !== 'chart' && n !== 'encounter' && mayShow(role, n));
  return first ? ({ name: first } as View) : { name: 'search' };
}
