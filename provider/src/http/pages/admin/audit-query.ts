// The audit page's filters (event, user, client, date range) as a database query, and paging.
// Filters are exact matches or anchored prefixes on indexed-or-small fields, never user regexes.
import type { Filter } from 'mongodb';
import type { AuditDoc } from '../../../db/schema';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilters {
  event: string;
  user: string;
  client: string;
  from: string;
  to: string;
  page: number;
}

const text = (v: unknown, max = 100) => (typeof v === 'string' ? v.trim().slice(0, max) : '');
const day = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : '');

export function auditFilters(query: Record<string, unknown>): AuditFilters {
  const page = Number.parseInt(text(query.page, 6), 10);
  return { event: text(query.event), user: text(query.user), client: text(query.client), from: day(query.from), to: day(query.to), page: Number.isFinite(page) && page > 0 ? Math.min(page, 10000) : 1 };
}

export function auditQuery(f: AuditFilters): Filter<AuditDoc> {
  const q: Filter<AuditDoc> = {};
  if (f.event) q.action = f.event;
  // A user is the one who acted or the one acted on (targets name users plainly).
  if (f.user) q.$or = [{ actor: f.user }, { target: f.user }];
  if (f.client) q.target = `client:${f.client}`;
  const at: Record<string, Date> = {};
  if (f.from) at.$gte = new Date(`${f.from}T00:00:00Z`);
  if (f.to) at.$lt = new Date(Date.parse(`${f.to}T00:00:00Z`) + 86400_000);
  if (Object.keys(at).length) q.at = at;
  return q;
}

/** The query string of a page with the same filters. */
export function pageHref(f: AuditFilters, page: number): string {
  const params = new URLSearchParams();
  for (const k of ['event', 'user', 'client', 'from', 'to'] as const) if (f[k]) params.set(k, f[k]);
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return `/admin/audit/${s ? `?${s}` : ''}`;
}
