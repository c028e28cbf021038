// Passwords never travel as command-line arguments (visible in `ps`, shell history and npm's
// banner): they are typed without echo at a terminal prompt, or piped with --password-stdin
// (`printf '%s\n' "$PW" | hrm-sso user create … --password-stdin`).
import readline from 'node:readline';
import { AppError } from '../kernel/errors';
import { UsageError } from './output';

export const PASSWORD_FLAG_REFUSED =
  '--password is not accepted: a password on the command line shows in process lists and shell history; pipe it with --password-stdin, or leave both out to be prompted.';

/** The password for a command: from stdin with --password-stdin, else a terminal prompt. */
export async function readPassword(label = 'Password', opts: { stdin?: boolean; refusedFlag?: string } = {}): Promise<string> {
  if (opts.refusedFlag !== undefined) throw new UsageError(PASSWORD_FLAG_REFUSED);
  if (opts.stdin) return readLine();
  if (!process.stdin.isTTY) throw new UsageError('No terminal to ask for the password on: pipe it on standard input with --password-stdin.');
  const first = await readHidden(`${label}: `);
  const again = await readHidden(`${label} (again): `);
  if (first !== again) throw new AppError('password_mismatch', 'The two passwords do not match.');
  return first;
}

/** First line of stdin; EOF without a line is an error, not an empty password. */
function readLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    let done = false;
    rl.once('line', (line) => {
      done = true;
      rl.close();
      process.stdin.destroy(); // nothing else is read; let the process exit
      resolve(line.replace(/\r$/, ''));
    });
    rl.once('close', () => {
      if (!done) reject(new AppError('no_password', 'No password given: --password-stdin read an empty standard input.'));
    });
  });
}

/** Raw mode turns echo off; we handle Enter, Backspace and Ctrl-C ourselves. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  // Echo goes off before the prompt shows: typing that starts as soon as it appears is never echoed.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new AppError('cancelled', 'Cancelled.'));
        if (ch === '\u0004') return finish(value ? undefined : new AppError('cancelled', 'Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}
