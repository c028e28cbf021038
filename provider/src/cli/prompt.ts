// Password input: typed without echo on a terminal, or one line from a pipe so scripts and
// tests can supply it (`printf 'secret\n' | npm run provider -- user create …`).
import readline from 'node:readline';
import { AppError } from '../errors';

export async function readPassword(label = 'Password'): Promise<string> {
  if (!process.stdin.isTTY) return readLine();
  const first = await readHidden(`${label}: `);
  const again = await readHidden(`${label} (again): `);
  if (first !== again) throw new AppError('password_mismatch', 'The two passwords do not match.');
  return first;
}

/** First line of a non-terminal stdin; EOF without a line is an error, not an empty password. */
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
      if (!done) reject(new AppError('no_password', 'No password given: pass --password or pipe it on standard input.'));
    });
  });
}

/** Raw mode turns echo off; we handle Enter, Backspace and Ctrl-C ourselves. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
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
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
