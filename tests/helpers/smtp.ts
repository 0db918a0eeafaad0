/** A real SMTP server (the `smtp-server` package) on 127.0.0.1 that keeps every message it receives. */
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  /** The raw message (headers and body) with quoted-printable soft breaks undone. */
  raw: string;
}

export interface TestSmtp {
  url: string;
  mails: ReceivedMail[];
  /** The first mail to `to` (waits for it). */
  mailTo(to: string): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

/** Undo quoted-printable line wrapping and the `=` escapes a link may carry. */
const unwrap = (raw: string): string =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

export async function startSmtp(): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const waiting: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (d: string) => (raw += d));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: unwrap(raw) });
        for (const w of waiting.splice(0)) w();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async mailTo(to) {
      for (;;) {
        const found = mails.find((m) => m.to.includes(to));
        if (found) return found;
        await new Promise<void>((r) => waiting.push(r));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The one-time link in a recovery mail. */
export function linkIn(mail: ReceivedMail): string {
  const m = /https?:\/\/\S+\/reset\?token=[A-Za-z0-9_-]+/.exec(mail.raw);
  if (!m) throw new Error(`no link in the mail:\n${mail.raw}`);
  return m[0];
}
