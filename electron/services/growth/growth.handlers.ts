import type { growthChannels } from '../../../shared/api/growth.contract';
import { growthPdf } from '../documents/growth.pdf';
import type { AreaHandlers, HandlerContext } from '../handler-context';
import { readBpGuideline, writeBpGuideline } from './bp-settings';
import { buildGrowthChart } from './growth-chart';

/** The growth area's handlers, one per channel of shared/api/growth.contract.ts. */
export function growthHandlers({ session, now, reading, clinicName, today }: HandlerContext): AreaHandlers<typeof growthChannels> {
  const chartOf = (patientId: string) => buildGrowthChart(session.repos.growth, session.repos.patients.peek(patientId), today());
  return {
    'growth.chart': (i, me) => {
      reading(me, 'growth.read', i.patientId);
      return chartOf(i.patientId);
    },
    'growth.pdf': async (i, me) => {
      reading(me, 'growth.print', i.patientId);
      const chart = chartOf(i.patientId);
      const bytes = await growthPdf(chart, clinicName(), today());
      const mrn = session.repos.patients.peek(i.patientId).mrn;
      return { fileName: `growth-chart-${mrn}-${today()}.pdf`, base64: Buffer.from(bytes).toString('base64') };
    },
    'growth.setBirthHistory': (i, me) => {
      const p = session.repos.patients.peek(i.patientId);
      return { gestationalAgeWeeks: session.repos.growth.birth.record(p.id, p.birthDate, i.gestationalWeeks, i.gestationalDays, me.actor) };
    },
    'settings.bloodPressure': () => ({ adultGuideline: readBpGuideline(session.repos.store.sqlite) }),
    'settings.setBloodPressure': (i, me) => ({
      adultGuideline: writeBpGuideline(session.repos.store.sqlite, session.repos.audit, i.adultGuideline, me.actor.userId, now().toISOString()),
    }),
  };
}
