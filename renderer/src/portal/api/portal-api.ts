import type { z } from 'zod';
import type {
  AppointmentView,
  AppointmentsView,
  bookInput,
  ChartSummary,
  ClinicInfo,
  FormDue,
  formAnswersInput,
  FormView,
  linkInput,
  newThreadInput,
  messageInput,
  registerInput,
  ReleasedItem,
  ResultView,
  SessionView,
  SignInAnswer,
  SlotsView,
  ThreadSummary,
  ThreadView,
  TotpSetup,
  visitRequestInput,
} from '../../../../shared/api/portal-http';
import type { PortalLanguage } from '../../../../shared/domain/portal';
import { call, chartPath, fileUrl } from './client';

type In<S extends z.ZodType> = z.input<S>;

/** Every route of shared/api/portal-http.ts the screens call, typed by its input and answer. */
export const portalApi = {
  clinic: (): Promise<ClinicInfo> => call('GET', '/clinic', undefined, { quiet401: true }),
  session: (): Promise<SessionView> => call('GET', '/session', undefined, { quiet401: true }),
  register: (i: In<typeof registerInput>): Promise<SessionView> => call('POST', '/register', i, { quiet401: true }),
  signIn: (username: string, password: string): Promise<SignInAnswer> => call('POST', '/signin', { username, password }, { quiet401: true }),
  signInTotp: (code: string): Promise<SessionView> => call('POST', '/signin/totp', { code }, { quiet401: true }),
  signOut: (): Promise<{ ok: boolean }> => call('POST', '/signout', {}, { quiet401: true }),
  signOutEverywhere: (): Promise<{ ok: boolean }> => call('POST', '/signout/everywhere', {}, { quiet401: true }),
  setLanguage: (language: PortalLanguage): Promise<SessionView> => call('POST', '/account/language', { language }),
  totpSetup: (): Promise<TotpSetup> => call('POST', '/account/totp/setup', {}),
  totpConfirm: (code: string): Promise<SessionView> => call('POST', '/account/totp/confirm', { code }),
  linkChart: (i: In<typeof linkInput>): Promise<SessionView> => call('POST', '/account/link', i),
  form: (formId: string): Promise<FormView> => call('GET', `/forms/${encodeURIComponent(formId)}`),

  summary: (p: string): Promise<ChartSummary> => call('GET', chartPath(p, 'summary')),
  results: (p: string): Promise<ResultView[]> => call('GET', chartPath(p, 'results')),
  released: (p: string): Promise<ReleasedItem[]> => call('GET', chartPath(p, 'released')),
  appointments: (p: string): Promise<AppointmentsView> => call('GET', chartPath(p, 'appointments')),
  slots: (p: string, type: string, fromDay: string): Promise<SlotsView> =>
    call('GET', `${chartPath(p, 'slots')}?${new URLSearchParams({ type, from: fromDay }).toString()}`),
  book: (p: string, i: In<typeof bookInput>): Promise<AppointmentView> => call('POST', chartPath(p, 'appointments'), i),
  cancel: (p: string, appointmentId: string, reason: string): Promise<AppointmentView> =>
    call('POST', chartPath(p, 'appointments', appointmentId, 'cancel'), { reason }),
  requestVisit: (p: string, i: In<typeof visitRequestInput>): Promise<ThreadView> => call('POST', chartPath(p, 'visit-requests'), i),
  threads: (p: string): Promise<ThreadSummary[]> => call('GET', chartPath(p, 'threads')),
  thread: (p: string, threadId: string): Promise<ThreadView> => call('GET', chartPath(p, 'threads', threadId)),
  newThread: (p: string, i: In<typeof newThreadInput>): Promise<ThreadView> => call('POST', chartPath(p, 'threads'), i),
  reply: (p: string, threadId: string, i: In<typeof messageInput>): Promise<ThreadView> => call('POST', chartPath(p, 'threads', threadId, 'messages'), i),
  formsDue: (p: string): Promise<FormDue[]> => call('GET', chartPath(p, 'forms')),
  submitForm: (p: string, formId: string, i: In<typeof formAnswersInput>): Promise<{ submissionId: string; items: number }> =>
    call('POST', chartPath(p, 'forms', formId), i),
};

/** Files the browser downloads itself, with the session cookie. */
export const portalFiles = {
  immunizations: (p: string): string => fileUrl(chartPath(p, 'immunizations.pdf')),
  recordPdf: (p: string): string => fileUrl(chartPath(p, 'record.pdf')),
  recordFhir: (p: string): string => fileUrl(chartPath(p, 'record.fhir.json')),
  recordCcda: (p: string): string => fileUrl(chartPath(p, 'record.ccda.xml')),
  attachment: (p: string, messageId: string): string => fileUrl(chartPath(p, 'messages', messageId, 'attachment')),
};
