import nodemailer, { type Transporter } from 'nodemailer';
import type { Email, Notifier } from './notifier';

export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /** Refuse to send unless the connection is upgraded with STARTTLS (recommended off loopback). */
  requireTls?: boolean;
  user?: string;
  password?: string;
  /** The sender, e.g. `"Riverside Family Medicine" <portal@riverside.example>`. */
  from: string;
  /** A private CA's certificate (PEM) for the mail server. */
  ca?: string;
  /** Give up on a silent server after this long (default 15 s), so one stuck email never holds the others. */
  timeoutMs?: number;
}

/** The portal's notices sent through an SMTP server, with nodemailer. */
export class SmtpNotifier implements Notifier {
  private readonly transport: Transporter;

  constructor(private readonly o: SmtpOptions) {
    const timeout = o.timeoutMs ?? 15_000;
    this.transport = nodemailer.createTransport({
      host: o.host,
      port: o.port,
      secure: o.secure ?? false,
      requireTLS: o.requireTls ?? false,
      ...(o.user !== undefined && { auth: { user: o.user, pass: o.password ?? '' } }),
      ...(o.ca !== undefined && { tls: { ca: o.ca } }),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  /** From `smtp://user:password@host:587` or `smtps://…:465` and a sender address. */
  static fromUrl(url: string, from: string): SmtpNotifier {
    const u = new URL(url);
    if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`an SMTP address begins smtp:// or smtps:// (got ${u.protocol}//)`);
    const secure = u.protocol === 'smtps:';
    return new SmtpNotifier({
      host: u.hostname,
      port: u.port ? Number(u.port) : secure ? 465 : 587,
      secure,
      from,
      ...(u.username && { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) }),
    });
  }

  async send(email: Email): Promise<void> {
    await this.transport.sendMail({ from: this.o.from, to: email.to, subject: email.subject, text: email.text });
  }

  close(): void {
    this.transport.close();
  }
}
