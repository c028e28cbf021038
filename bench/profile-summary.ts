// Where the provider's main thread spent its time: self time per function and per package,
// from a V8 .cpuprofile (BENCH_PROFILE=1). Usage: node --import tsx bench/profile-summary.ts <file> [top]
import fs from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/provider/src/')) return 'provider/src';
  if (url.startsWith('node:')) return url;
  return url ? 'other' : '(native/idle/gc)';
}

const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  const name = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}${n.callFrame.url.includes('/provider/src/') ? ':' + n.callFrame.url.split('/provider/src/')[1] : ''}`;
  fn.set(name, (fn.get(name) ?? 0) + t);
  const p = n.callFrame.functionName === '(idle)' ? '(idle)' : where(n.callFrame.url);
  pkg.set(p, (pkg.get(p) ?? 0) + t);
}
// Shares of all samples, and of the busy ones (everything but "(idle)": the main thread waiting).
const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
const busy = Math.max(1, total - idle);
const pct = (t: number, isIdle = false) => ((100 * t) / total).toFixed(1).padStart(5) + ' %' + (isIdle ? ''.padStart(17) : ((100 * t) / busy).toFixed(1).padStart(7) + ' % of busy');
const top = Number(topArg ?? 25);
console.log(`total sampled: ${(total / 1e6).toFixed(1)} s, main thread busy ${(busy / 1e6).toFixed(1)} s (${((100 * busy) / total).toFixed(0)} %)\n\nby package:`);
for (const [k, t] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(t, k.startsWith('(idle)'))}  ${k}`);
console.log('\nby function (self time):');
for (const [k, t] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t, k.startsWith('(idle)'))}  ${k}`);
