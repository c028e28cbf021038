// Where a form may send the browser back to: a path on this site, never another origin. `//host` and
// `/\host` are other origins to a browser, and a browser drops tabs and newlines from a URL before
// reading it (`/<TAB>/host` becomes `//host`), so control characters are refused anywhere.
const CONTROL = /[\u0000-\u001f\u007f]/;

export function sameSitePath(value: unknown, maxLength = Infinity): string | undefined {
  if (typeof value !== 'string' || value.length > maxLength) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || CONTROL.test(value)) return undefined;
  return value;
}
