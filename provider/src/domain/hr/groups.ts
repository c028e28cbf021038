// Department and team slugs: the `groups` claim, the app's department → channel mapping and the
// Premium Custom OAuth groups_channel_map all key on these.
import type { UserDoc } from '../../db/schema';

/** "Research & Development" → "research-development"; "" when nothing is left. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** The department's slug, then the teams, without repeats. */
export function userGroups(u: Pick<UserDoc, 'department' | 'teams'>): string[] {
  const department = u.department ? slugify(u.department) : '';
  return [...new Set([department, ...(u.teams ?? [])].filter(Boolean))];
}
