// Employment changes (CLI `user edit`, the admin user page): validation, and what a status change
// does. Marking someone as left also deactivates the account and ends every token, code, consent
// and session at once (store/user-access.ts), so login and every grant are refused from then on.
import { z } from 'zod';
import type { Database } from '../../db/connect';
import type { UserDoc } from '../../db/schema';
import { AppError } from '../../kernel/errors';
import type { TokenStore } from '../../store/tokens';
import { endUserAccess } from '../../store/user-access';
import { userExists, writeEmployment } from '../../store/employment';
import { normaliseUsername, zodMessage } from '../../store/users';
import { SLUG } from './groups';

export const EMPLOYMENT_STATUSES = ['active', 'on_leave', 'left'] as const;

/** Raw text as it comes from a flag or a form field; "" clears a field. */
export interface EmploymentInput {
  status?: string;
  leaveUntil?: string;
  leftAt?: string;
  manager?: string;
  employeeNumber?: string;
  teams?: string;
  pictureUrl?: string;
  hrRoles?: string;
}

const date = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date written YYYY-MM-DD`)
    .transform((v) => new Date(`${v}T00:00:00Z`))
    .refine((d) => !Number.isNaN(d.getTime()), `${label} is not a real date`);

const slugList = (label: string) =>
  z
    .string()
    .transform((v) => [...new Set(v.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean))])
    .refine((list) => list.length <= 20, `at most 20 ${label}`)
    .refine((list) => list.every((s) => SLUG.test(s)), `${label} must be slugs: lower-case letters, digits and dashes (e.g. platform-team)`);

const pictureUrl = z
  .string()
  .trim()
  .max(2000, 'the picture URL is too long')
  .refine((v) => /^https:\/\/[^\s]+$/i.test(v) || /^\/[^\s/][^\s]*$/.test(v), 'the picture URL must be an https:// URL or a path on this provider such as /static/photos/ada.jpg');

const inputSchema = z.object({
  status: z.enum(EMPLOYMENT_STATUSES, { errorMap: () => ({ message: `status must be one of ${EMPLOYMENT_STATUSES.join(', ')}` }) }).optional(),
  leaveUntil: date('leave-until').optional(),
  leftAt: date('left-at').optional(),
  manager: z.string().max(1024).transform(normaliseUsername).optional(),
  employeeNumber: z.string().trim().max(64, 'the employee number is at most 64 characters').regex(/^[\w./-]*$/, 'the employee number may hold letters, digits, . / _ and -').optional(),
  teams: slugList('teams').optional(),
  pictureUrl: pictureUrl.optional(),
  hrRoles: slugList('HR roles').optional(),
});

export interface EmploymentChange {
  /** What was set or cleared, for the audit record. */
  fields: string[];
  /** Set when the change ended the user's access (status left). */
  accessEnded?: { tokensRevoked: number };
  /** Set when a left user was marked active again (the account is reactivated; old tokens stay revoked). */
  rehired?: boolean;
  user: UserDoc;
}

/** Blank values clear their field (""), absent ones are left alone. */
function blankToUndefined(raw: EmploymentInput): { set: EmploymentInput; cleared: (keyof EmploymentInput)[] } {
  const set: EmploymentInput = {};
  const cleared: (keyof EmploymentInput)[] = [];
  for (const [k, v] of Object.entries(raw) as [keyof EmploymentInput, string | undefined][]) {
    if (v === undefined) continue;
    if (v.trim() === '') cleared.push(k);
    else set[k] = v;
  }
  return { set, cleared };
}

const FIELD: Record<Exclude<keyof EmploymentInput, 'status'>, keyof UserDoc> = {
  leaveUntil: 'leaveUntil',
  leftAt: 'leftAt',
  manager: 'manager',
  employeeNumber: 'employeeNumber',
  teams: 'teams',
  pictureUrl: 'pictureUrl',
  hrRoles: 'hrRoles',
};

export async function changeEmployment(db: Database, tokens: TokenStore, user: UserDoc, raw: EmploymentInput, now = new Date()): Promise<EmploymentChange> {
  const { set, cleared } = blankToUndefined(raw);
  if (cleared.includes('status')) throw new AppError('invalid_employment', 'status cannot be cleared: set it to active, on_leave or left.');
  const parsed = inputSchema.safeParse(set);
  if (!parsed.success) throw new AppError('invalid_employment', zodMessage(parsed.error));
  const v = parsed.data;
  const $set: Partial<UserDoc> = { updatedAt: now };
  const $unset: Record<string, ''> = {};
  for (const k of cleared) $unset[FIELD[k as Exclude<keyof EmploymentInput, 'status'>]] = '';
  if (v.manager !== undefined) {
    if (v.manager === user.username) throw new AppError('invalid_employment', 'A user cannot be their own manager.');
    if (!(await userExists(db, v.manager))) throw new AppError('invalid_employment', `There is no user named "${v.manager}" to be the manager.`);
    $set.manager = v.manager;
  }
  if (v.employeeNumber !== undefined) $set.employeeNumber = v.employeeNumber;
  if (v.teams !== undefined) $set.teams = v.teams;
  if (v.pictureUrl !== undefined) $set.pictureUrl = v.pictureUrl;
  if (v.hrRoles !== undefined) $set.hrRoles = v.hrRoles;
  if (v.leaveUntil !== undefined) $set.leaveUntil = v.leaveUntil;
  if (v.leftAt !== undefined) $set.leftAt = v.leftAt;

  const status = v.status ?? user.employmentStatus ?? 'active';
  if (v.leftAt && status !== 'left') throw new AppError('invalid_employment', 'left-at only goes with status left.');
  if (v.leaveUntil && status !== 'on_leave') throw new AppError('invalid_employment', 'leave-until only goes with status on_leave.');
  if (status === 'on_leave' && !(v.leaveUntil ?? (cleared.includes('leaveUntil') ? undefined : user.leaveUntil))) {
    throw new AppError('invalid_employment', 'A leave needs its end date: give leave-until (YYYY-MM-DD).');
  }
  let rehired = false;
  if (v.status) {
    $set.employmentStatus = v.status;
    if (v.status === 'left') {
      $set.leftAt = v.leftAt ?? user.leftAt ?? now;
      $set.active = false;
      $unset.leaveUntil = '';
    } else {
      $unset.leftAt = '';
      if (v.status === 'active') $unset.leaveUntil = '';
      // Marking a leaver as employed again restores sign-in (as `user reactivate` does); their old tokens stay revoked.
      if (user.employmentStatus === 'left') {
        $set.active = true;
        rehired = true;
      }
    }
  }
  for (const k of Object.keys($set)) delete $unset[k];
  const updated = await writeEmployment(db, user._id, $set, $unset);
  if (!updated) throw new AppError('unknown_user', 'No such user.', 404);
  const fields = [...new Set([...Object.keys($set), ...Object.keys($unset)])].filter((k) => k !== 'updatedAt');
  const change: EmploymentChange = { fields, user: updated, rehired };
  // Leaving ends access at once, not when the tokens expire: the same path as deactivation.
  if (v.status === 'left') change.accessEnded = await endUserAccess(db, tokens, user._id);
  return change;
}
