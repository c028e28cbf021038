// One load run with autocannon, with per-process CPU seconds from /proc around it.
import autocannon from 'autocannon';
import { cpuOf } from './procs';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A fresh body per request (single-use codes and refresh tokens); the run ends when it returns undefined. */
  nextBody?: () => string | undefined;
  connections: number;
  durationSeconds: number;
  /** false: no per-second record even with BENCH_TIMELINE=1 (the comparison systems). */
  timeline?: boolean;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  cpu: Record<string, number>;
  seconds: number;
  /** BENCH_TIMELINE=1: latency per second of the run (stalls show as seconds with a high max). */
  timeline?: SecondStats[];
}

export interface SecondStats {
  second: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers slower than 100 ms. */
  slow: number;
}

function perSecond(samples: Array<[number, number]>): SecondStats[] {
  const bySecond = new Map<number, number[]>();
  for (const [at, ms] of samples) bySecond.set(at, [...(bySecond.get(at) ?? []), ms]);
  return [...bySecond].sort((a, b) => a[0] - b[0]).map(([second, xs]) => {
    const s = xs.sort((a, b) => a - b);
    const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))];
    return { second, requests: s.length, p50: q(0.5), p99: q(0.99), max: s[s.length - 1], slow: s.filter((x) => x > 100).length };
  });
}

export async function runLoad(spec: LoadSpec, pids: Record<string, number>): Promise<LoadResult> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuOf(pid)]));
  const started = Date.now();
  let exhausted = false;
  const timeline = process.env.BENCH_TIMELINE === '1' && spec.timeline !== false;
  const samples: Array<[number, number]> = [];
  const opts: autocannon.Options = {
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    duration: spec.durationSeconds,
  };
  if (spec.nextBody) {
    const next = spec.nextBody;
    opts.requests = [
      {
        setupRequest: (req) => {
          const body = next();
          if (body === undefined) {
            exhausted = true;
            return { ...req, body: 'grant_type=exhausted' };
          }
          return { ...req, body };
        },
      },
    ];
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    let tick: NodeJS.Timeout | undefined;
    const instance = autocannon(opts, (err, r) => {
      clearInterval(tick);
      if (err) reject(err);
      else resolve(r);
    });
    tick = setInterval(() => {
      if (exhausted) instance.stop();
    }, 50);
    if (timeline) instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => samples.push([Math.floor((Date.now() - started) / 1000), ms]));
  });
  const seconds = (Date.now() - started) / 1000;
  const cpu = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuOf(pid) - before[k]]));
  const requests = result.requests.total;
  return {
    // Only answered requests count: a refused or failed one is not throughput.
    rps: (requests - result.non2xx) / Math.max(0.001, result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpu,
    seconds,
    timeline: timeline ? perSecond(samples) : undefined,
  };
}

export function median(xs: number[]): number {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
