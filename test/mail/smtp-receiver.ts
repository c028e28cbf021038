// A real SMTP server for tests (smtp-server on 127.0.0.1, a free port), whose received mails are
// parsed with mailparser. It can be taken down (connections refused), brought back on the same
// port, or told to accept a connection and then drop it mid-transaction.
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import net, { type AddressInfo } from 'node:net';
import { scaled } from '../support/timeouts';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  parsed: ParsedMail;
  raw: string;
}

export type ReceiverMode = 'accept' | 'reject';

export class SmtpReceiver {
  readonly mails: ReceivedMail[] = [];
  mode: ReceiverMode = 'accept';
  /** Recipients answered with 550 (mailbox unavailable): a permanent refusal. */
  rejectRecipients?: RegExp;
  /** Connections seen (including refused/dropped ones). */
  connections = 0;
  private server?: SMTPServer;
  private dropper?: net.Server;
  port = 0;

  /**
   * Instead of the SMTP server, a TCP server on the same port that greets like one, reads the
   * client's first command and hangs up: "an SMTP server that accepts then drops".
   */
  async startDropping(port = this.port): Promise<void> {
    const server = net.createServer((socket) => {
      this.connections++;
      socket.on('error', () => undefined);
      socket.write('220 dropper.test ESMTP\r\n');
      socket.once('data', () => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.dropper = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async start(port = 0): Promise<this> {
    this.server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      closeTimeout: 500,
      logger: false,
      onConnect: (_session, cb) => {
        this.connections++;
        if (this.mode === 'reject') return cb(new Error('421 service not available'));
        cb();
      },
      onRcptTo: (address, _session, cb) => {
        if (this.rejectRecipients?.test(address.address)) return cb(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const parsed = await simpleParser(raw);
          this.mails.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            parsed,
            raw,
          });
          cb();
        });
      },
    });
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Stops listening: connections are refused until start(samePort) again. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    const d = this.dropper;
    this.dropper = undefined;
    if (d) await new Promise<void>((resolve) => d.close(() => resolve()));
  }

  /** Waits until a mail matching `predicate` arrived (no fixed sleeps). */
  async waitFor(predicate: (m: ReceivedMail) => boolean, quietMs = 10000): Promise<ReceivedMail> {
    const timeoutMs = scaled(quietMs);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.mails.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching mail within ${timeoutMs} ms (received: ${this.mails.map((m) => `${m.envelopeTo.join(',')}: ${m.parsed.subject}`).join(' | ') || 'none'})`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.envelopeTo.includes(address));
  }
}

/** The first link in a mail's text part that points at `path` on the provider. */
export function linkIn(mail: ReceivedMail, path: string): string {
  const m = new RegExp(`https?://\\S+${path.replace(/[/?]/g, (c) => `\\${c}`)}\\S*`).exec(mail.parsed.text ?? '');
  if (!m) throw new Error(`no ${path} link in mail "${mail.parsed.subject}":\n${mail.parsed.text}`);
  return m[0];
}

/** Polls `check` until it returns a value (not undefined) or times out. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, quietMs = 10000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + scaled(quietMs);
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
