/**
 * Email through SMTP with nodemailer: HTML and text parts, threaded per alert group.
 * SMTP replies map to the shared policy: 5xx and authentication failures are permanent,
 * 4xx replies and connection problems are retried.
 */
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Notifications } from '@traderadmin/config';
import { renderEmail } from '../format/email.js';
import type { LinkContext } from '../format/view.js';
import { networkFailure } from '../delivery/policy.js';
import type { DeliveryResult, Notifier, OutgoingMessage } from '../types.js';
import { PROVIDER_TIMEOUT_MS } from './provider.js';

export interface EmailNotifierOptions {
  config: Notifications['email'];
  links: LinkContext;
  /** Connection, greeting and socket timeouts. @default PROVIDER_TIMEOUT_MS (15 s) */
  timeoutMs?: number;
  /** Environment of env: secrets. @default process.env */
  env?: NodeJS.ProcessEnv;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
  rejected?: string[];
}

/** Maps a nodemailer error to a delivery result. */
export function classifySmtpError(error: unknown): DeliveryResult {
  const e = error as SmtpError;
  const text = e.response ?? e.message ?? String(error);
  if (e.code === 'EAUTH' || e.responseCode === 535 || e.responseCode === 534 || e.responseCode === 530) {
    return { status: 'permanent', reason: 'auth', error: `SMTP authentication failed: ${text}` };
  }
  if (e.responseCode !== undefined) {
    if (e.responseCode >= 500) {
      const reason = e.code === 'EENVELOPE' || e.responseCode === 550 || e.responseCode === 553 ? 'invalid_recipient' : 'rejected';
      return { status: 'permanent', reason, error: `SMTP ${e.responseCode}: ${text}` };
    }
    if (e.responseCode >= 400) return { status: 'retry', reason: 'server_error', error: `SMTP ${e.responseCode}: ${text}` };
  }
  if (e.code === 'ETLS' || e.code === 'EENVELOPE' || e.code === 'EMESSAGE')
    return { status: 'permanent', reason: 'config', error: `${e.code}: ${text}` };
  return networkFailure(error);
}

/** The email channel: one message per recipient. */
export function emailNotifier(options: EmailNotifierOptions): Notifier {
  const c = options.config;
  const timeout = options.timeoutMs ?? PROVIDER_TIMEOUT_MS;
  // Options (and their secrets) now, so a missing one fails at start; the transport, and with it
  // nodemailer (~15 MB resident), at the first mail.
  const transportOptions: SMTPTransport.Options = {
    host: c.smtp_host,
    port: c.smtp_port,
    secure: c.smtp_tls === 'tls' || (c.smtp_tls === 'auto' && c.smtp_port === 465),
    requireTLS: c.smtp_tls === 'starttls',
    ignoreTLS: c.smtp_tls === 'none',
    auth: c.smtp_user ? { user: c.smtp_user, pass: c.smtp_password?.reveal(options.env) ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  };
  let transport: Transporter<SMTPTransport.SentMessageInfo> | undefined;
  return {
    channel: 'email',
    recipients: () => [...c.recipients],
    async notify(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryResult> {
      const mail = renderEmail(message.notifications, options.links, { id: message.id, from: c.from });
      transport ??= (await import('nodemailer')).default.createTransport(transportOptions);
      const send = transport.sendMail({
        from: c.from,
        to: message.recipient,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        inReplyTo: mail.inReplyTo,
        references: mail.references,
        headers: { 'X-TraderAdmin-Notification-Id': message.id, 'Auto-Submitted': 'auto-generated' },
      });
      const aborted = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      try {
        const info = await Promise.race([send, aborted]);
        if (info.rejected.length > 0) {
          return { status: 'permanent', reason: 'invalid_recipient', error: `SMTP rejected ${info.rejected.join(', ')}: ${info.response}` };
        }
        return { status: 'sent', providerId: info.messageId };
      } catch (error) {
        return classifySmtpError(error);
      } finally {
        send.catch(() => undefined);
      }
    },
    async close() {
      transport?.close();
    },
  };
}
