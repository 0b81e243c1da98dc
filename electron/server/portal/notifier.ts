import type { PortalLanguage } from '../../../shared/domain/portal';

/**
 * How the portal tells a patient something is waiting for them: an email that carries no health
 * information at all. It names the clinic and the kind of thing (a message, a result, an appointment
 * reminder) and where to sign in; never the patient's name, a test's name, a message's words or a
 * visit's time — an inbox is not a safe place for them.
 */

export interface Email {
  to: string;
  subject: string;
  text: string;
}

/** Sends one email; rejects when it was not accepted (the caller records the failure and retries). */
export interface Notifier {
  send(email: Email): Promise<void>;
}

export type NoticeKind = 'message' | 'result' | 'reminder';

type Texts = { [K in NoticeKind]: { subject: string; line: string; action: string } } & { footer: string };

const TEXTS: { [L in PortalLanguage]: Texts } = {
  en: {
    message: { subject: 'New message from {clinic}', line: 'You have a new message at {clinic}.', action: 'Sign in to read it:' },
    result: { subject: 'New result at {clinic}', line: 'You have a new result at {clinic}.', action: 'Sign in to see it:' },
    reminder: {
      subject: 'Appointment reminder from {clinic}',
      line: 'You have an appointment reminder at {clinic}.',
      action: 'Sign in to see the details:',
    },
    footer: 'This email was sent automatically; please do not reply to it.',
  },
  es: {
    message: { subject: 'Nuevo mensaje de {clinic}', line: 'Tiene un mensaje nuevo en {clinic}.', action: 'Inicie sesión para leerlo:' },
    result: { subject: 'Nuevo resultado en {clinic}', line: 'Tiene un resultado nuevo en {clinic}.', action: 'Inicie sesión para verlo:' },
    reminder: {
      subject: 'Recordatorio de cita de {clinic}',
      line: 'Tiene un recordatorio de cita en {clinic}.',
      action: 'Inicie sesión para ver los detalles:',
    },
    footer: 'Este correo se envió automáticamente; por favor, no lo responda.',
  },
};

/** The email for one notice, in the account's language (English when it has none we know). */
export function noticeEmail(kind: NoticeKind, language: string, clinicName: string, portalUrl: string, to: string): Email {
  const t = TEXTS[language === 'es' ? 'es' : 'en'];
  // A clinic name is one line: a line break in a subject would start a new mail header.
  const clinic = clinicName.replace(/[\r\n]+/g, ' ').trim();
  const fill = (s: string): string => s.replace('{clinic}', clinic);
  return { to, subject: fill(t[kind].subject), text: `${fill(t[kind].line)}\n\n${t[kind].action} ${portalUrl}\n\n${t.footer}\n` };
}
