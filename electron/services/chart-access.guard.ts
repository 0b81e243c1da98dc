import { CHANNELS, type Channel } from '../../shared/api/channels';
import type { ChartScope } from '../../shared/api/channel';
import { contract, type Parsed } from '../../shared/api/contract';
import { CairnFailure } from '../../shared/api/result';
import { BREAK_GLASS_MINUTES } from '../../shared/domain/patient';
import type { Session } from './session';

/**
 * Every channel's restricted-chart scope (the `scope` of its contract entry): which patients' charts
 * it reads or writes, so a restricted chart cannot be reached through a channel someone forgot.
 */
export const CHART_SCOPE: { readonly [C in Channel]: ChartScope<Parsed<C>> } = Object.fromEntries(CHANNELS.map((c) => [c, contract[c].scope])) as {
  readonly [C in Channel]: ChartScope<Parsed<C>>;
};

/**
 * Refuses a call that touches a restricted chart unless the signed-in user broke the glass for it
 * in this session. Runs in the dispatcher after validation, before the handler; each refusal is
 * audited, so an attempt shows in the accounting of access.
 */
export function guardRestrictedCharts(session: Session, channel: Channel, input: unknown): void {
  const scope = CHART_SCOPE[channel] as ChartScope<unknown>;
  if (scope === 'none') return;
  const patients = session.repos.patients;
  const ids = new Set(scope(input, (row, id) => (id === undefined ? undefined : patients.ownerOf(row, id))));
  for (const id of ids) {
    if (id === undefined || !patients.isRestricted(id) || session.mayOpenRestricted(id)) continue;
    const userId = session.requireUser().id;
    session.repos.writer.write((at) =>
      session.repos.audit.append({ action: 'chart.restricted_refused', userId, patientId: id, recordType: 'patient', recordId: id, detail: channel }, at),
    );
    throw new CairnFailure('break_glass_required', 'this chart is restricted: break the glass (give a reason and your password) to open it');
  }
}

/**
 * Break-glass: the user's own password again and a reason, recorded in the audit log as
 * `chart.break_glass` before access is granted for this session (BREAK_GLASS_MINUTES at most).
 */
export async function breakGlass(session: Session, i: Parsed<'patients.breakGlass'>): Promise<{ patientId: string; until: string }> {
  const user = session.requireUser();
  const restricted = session.repos.patients.isRestricted(i.patientId);
  if (restricted === undefined) throw new CairnFailure('not_found', `no patient with id ${i.patientId}`);
  if (!restricted) throw new CairnFailure('conflict', 'this chart is not restricted: open it without breaking the glass');
  await session.repos.users.reauthenticate(user.id, i.password, 'breaking the glass');
  const detail = JSON.stringify({ breakGlass: true, reason: i.reason, minutes: BREAK_GLASS_MINUTES });
  session.repos.writer.write((at) =>
    session.repos.audit.append(
      { action: 'chart.break_glass', userId: user.id, patientId: i.patientId, recordType: 'patient', recordId: i.patientId, detail },
      at,
    ),
  );
  return { patientId: i.patientId, until: session.grantBreakGlass(i.patientId) };
}
