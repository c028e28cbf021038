// Child processes of a benchmark run and what /proc says about them (CPU seconds, RSS).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

const CLK_TCK = 100; // sysconf(_SC_CLK_TCK) on Linux x86-64

export interface Proc {
  name: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function launch(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  return track(name, spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] }), 5000);
}

/** A started child as a Proc: its stderr tail reported if it fails, stop() = SIGTERM then SIGKILL after killAfterMs. */
export function track(name: string, child: ChildProcess, killAfterMs: number): Proc {
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  child.once('exit', (code, sig) => {
    if (code) process.stderr.write(`[bench] ${name} exited with ${code ?? sig}: ${stderr}\n`);
  });
  return {
    name,
    pid: child.pid as number,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), killAfterMs).unref();
      }),
  };
}

/** user + system CPU seconds of one process so far. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14, 15)
}

/** Processes measured with all their descendants (gunicorn's workers, PostgreSQL's backends). */
const trees = new Set<number>();
export function measureAsTree(pid: number): void {
  trees.add(pid);
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // exited meanwhile
  }
}

/** CPU seconds of a process, or of it and every live descendant (plus reaped children) for measureAsTree roots. */
export function cpuOf(pid: number): number {
  if (!trees.has(pid)) return cpuSeconds(pid);
  const parent = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (f) parent.set(Number(name), Number(f[1]));
  }
  const inTree = (p: number): boolean => {
    for (let q: number | undefined = p, hops = 0; q && hops < 10; q = parent.get(q), hops++) if (q === pid) return true;
    return false;
  };
  let total = 0;
  for (const p of parent.keys()) {
    if (!inTree(p)) continue;
    const f = statFields(p);
    if (f) total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK; // utime stime cutime cstime
  }
  return total;
}

/** RSS of a process, or of its whole tree for measureAsTree roots. */
export function treeRssMb(pid: number): number {
  if (!trees.has(pid)) return rssMb(pid);
  const parent = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (f) parent.set(Number(name), Number(f[1]));
  }
  let total = 0;
  for (const p of parent.keys()) {
    let q: number | undefined = p;
    for (let hops = 0; q && q !== pid && hops < 10; hops++) q = parent.get(q);
    if (q === pid) total += rssMb(p) || 0;
  }
  return total;
}

export function rssMb(pid: number): number {
  let status = '';
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return NaN;
  }
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** Whole-machine busy fraction over an interval and the 1-minute load average: how shared the machine was. */
export function machineSample(): { busy: number; total: number } {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4];
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** The busy share of all CPUs between two machineSample()s (0..1). */
export function busyShare(before: { busy: number; total: number }, after: { busy: number; total: number }): number {
  return (after.busy - before.busy) / Math.max(1, after.total - before.total);
}

export function loadAverage(): number {
  return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not become ready in ${timeoutMs / 1000} s`);
}

export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}
