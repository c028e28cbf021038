// Counts in words: "1 person", "2 people", "0 recovery codes" (used by the views' `plural` filter
// and by messages built in code).
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
