// Dates and numbers in the reader's language (Intl, no extra data files). Times are shown in UTC
// with the zone named: the server does not know the reader's time zone. English keeps the
// unambiguous ISO form (2026-12-07 04:30 UTC) that the chat app also prints.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function cached(map: Map<string, Intl.DateTimeFormat>, lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = map.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, options);
    map.set(lang, f);
  }
  return f;
}

/** "7 Dec 2026, 04:30 UTC" in the reader's language; "—" when there is no date. */
export function formatDateTime(value: Date | string | number | undefined | null, lang: string): string {
  if (value === undefined || value === null || value === '') return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  if (lang === 'en') return d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return cached(dateTimeFormats, lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(d);
}

/** The calendar day in the reader's language, e.g. "7 Dec 2026". */
export function formatDay(value: Date | string | number | undefined | null, lang: string): string {
  if (value === undefined || value === null || value === '') return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  if (lang === 'en') return d.toISOString().slice(0, 10);
  return cached(dayFormats, lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

export function formatNumber(n: number, lang: string): string {
  return new Intl.NumberFormat(lang).format(n);
}
