// The employment status other systems act on. "left" and "deactivated" both mean: no access.
import type { UserDoc } from '../../db/schema';

export type EffectiveStatus = 'active' | 'on_leave' | 'left' | 'deactivated';

/** A leave whose end date has passed counts as active again (the record keeps the dates). */
export function effectiveStatus(u: Pick<UserDoc, 'active' | 'employmentStatus' | 'leaveUntil'>, now = new Date()): EffectiveStatus {
  if (u.employmentStatus === 'left') return 'left';
  if (!u.active) return 'deactivated';
  if (u.employmentStatus === 'on_leave' && (!u.leaveUntil || u.leaveUntil.getTime() > now.getTime())) return 'on_leave';
  return 'active';
}

/** YYYY-MM-DD (UTC), the form dates travel in. */
export function isoDate(d: Date | undefined): string | undefined {
  return d ? d.toISOString().slice(0, 10) : undefined;
}
