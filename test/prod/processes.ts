// Process-tree helpers for the shutdown and outage tests (Linux /proc).
import fs from 'node:fs';
import http from 'node:http';
import { scaled } from '../support/timeouts';

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

export function descendants(root: number): number[] {
  const all = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number);
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length) {
    const next = all.filter((p) => frontier.includes(parentOf(p) ?? -1));
    found.push(...next);
    frontier = next;
  }
  return found;
}

export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

export function alive(pid: number): boolean {
  try {
    // A zombie has exited; only its parent has not collected it yet.
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  // The timeout is what a quiet machine needs; it stretches with the load (test/support/timeouts.ts).
  const deadline = Date.now() + scaled(timeoutMs);
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${scaled(timeoutMs)} ms)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface RawOutcome {
  status?: number;
  body?: string;
  /** Set when no complete response arrived (connection reset, closed early, refused). */
  error?: string;
}

/** One POST/GET on a fresh connection; reports a complete response or what went wrong, never throws. */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: { connection: 'close', ...opts.headers }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
      res.on('aborted', () => resolve({ error: 'aborted' }));
    });
    req.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end(opts.body);
  });
}
