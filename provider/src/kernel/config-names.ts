// Spotting a mistyped setting: the provider's variables have no common prefix (PORT, ISSUER,
// MONGO_URL, … are kept for compatibility), so "ours" means either the reserved prefix HRM_ or a
// name within a small edit distance of a known variable (SESION_SECRET, MONGO_URI, ISUER).

export const RESERVED_PREFIX = 'HRM_';

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** How many edits still count as a typo: short names tolerate one, longer ones two or three. */
function tolerance(name: string): number {
  return name.length <= 5 ? 1 : name.length <= 10 ? 2 : 3;
}

export function nearestName(name: string, known: readonly string[]): { looksOurs: boolean; name?: string } {
  const reserved = name.startsWith(RESERVED_PREFIX);
  const bare = reserved ? name.slice(RESERVED_PREFIX.length) : name;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(bare, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  const close = best !== undefined && best.distance <= tolerance(bare);
  return { looksOurs: reserved || close, name: close ? best!.name : undefined };
}
