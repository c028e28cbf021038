// Waits in tests scale with the machine's load, so a suite run beside a CPU-heavy process still
// passes: on a 2-core machine at load 10 a startup that takes 3 s quiet can take 15 s.
// TEST_TIMEOUT_SCALE fixes the factor (e.g. 3 on a slow CI runner); otherwise it follows the
// one-minute load average per core, between 1 and 8, measured when the wait starts.
import os from 'node:os';

export function timeoutScale(): number {
  const fixed = Number(process.env.TEST_TIMEOUT_SCALE);
  if (fixed > 0) return fixed;
  const perCore = os.loadavg()[0] / Math.max(1, os.cpus().length);
  return Math.min(8, Math.max(1, perCore));
}

/** `ms` on a quiet machine, stretched by the current load. */
export function scaled(ms: number): number {
  return Math.round(ms * timeoutScale());
}
