/**
 * A real SMTP server (smtp-server) on loopback that parses what it receives (mailparser).
 * It can require a login, answer temporary (451) or permanent (550) failures, or be slow.
 */
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface SmtpBehavior {
  /** Reject messages with this SMTP code (4xx temporary, 5xx permanent); `times` limits it. */
  fail?: { code: number; message?: string; times?: number };
  delayMs?: number;
}

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  parsed: ParsedMail;
  raw: string;
}

export interface SmtpPeer {
  readonly host: string;
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** Count of DATA commands seen (accepted or not). */
  attempts(): number;
  behave(b: SmtpBehavior): void;
  stop(): Promise<void>;
}

export async function startSmtpPeer(options: { user?: string; password?: string } = {}): Promise<SmtpPeer> {
  const mails: ReceivedMail[] = [];
  let behavior: SmtpBehavior = {};
  let attempts = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.user,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth: SMTPServerAuthentication, _session: SMTPServerSession, cb) {
      if (auth.username === options.user && auth.password === options.password) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      attempts++;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const finish = async () => {
          const fail = behavior.fail;
          if (fail && (fail.times === undefined || fail.times > 0)) {
            if (fail.times !== undefined) fail.times--;
            return cb(Object.assign(new Error(fail.message ?? 'rejected by test'), { responseCode: fail.code }));
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const parsed = await simpleParser(raw);
          mails.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            parsed,
            raw,
          });
          cb();
        };
        const run = () => void finish().catch((e: Error) => cb(e));
        if (behavior.delayMs) setTimeout(run, behavior.delayMs);
        else run();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    mails,
    attempts: () => attempts,
    behave: (b) => (behavior = b),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
