// One person as every route in (CSV, SCIM, directory sync) describes them: the desired value of
// each field it carries. `undefined` leaves a field alone; '' (or [] for lists) clears it.
// Validation here mirrors the user store and the HR lifecycle so a plan (dry run) finds every
// bad value before anything is written.
import { z } from 'zod';
import type { UserDoc } from '../../db/schema';
import { EMPLOYMENT_STATUSES } from '../hr/employment';
import { SLUG } from '../hr/groups';
import { isoDate } from '../hr/status';
import { normaliseUsername, usernameSchema } from '../../store/users';

export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];

export interface PersonInput {
  username: string;
  email?: string;
  name?: string;
  givenName?: string;
  familyName?: string;
  department?: string;
  jobTitle?: string;
  /** Username of the manager. */
  manager?: string;
  employeeNumber?: string;
  teams?: string[];
  employmentStatus?: EmploymentStatus;
  /** YYYY-MM-DD */
  leaveUntil?: string;
  /** YYYY-MM-DD */
  leftAt?: string;
  hrRoles?: string[];
}

/** The fields a change can touch, in the order people read them (CSV column order too). */
export const PERSON_FIELDS = ['email', 'name', 'givenName', 'familyName', 'department', 'jobTitle', 'manager', 'employeeNumber', 'teams', 'employmentStatus', 'leaveUntil', 'leftAt', 'hrRoles'] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];

/** Profile fields live in the user store; the rest are the HR lifecycle's (hr/employment.ts). */
export const PROFILE_FIELDS = ['email', 'name', 'givenName', 'familyName', 'department', 'jobTitle'] as const satisfies readonly PersonField[];

const text = (label: string, max = 200) => z.string().trim().max(max, `${label} is at most ${max} characters`);
const date = (label: string) => z.string().trim().refine((v) => v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(new Date(`${v}T00:00:00Z`).getTime())), `${label} must be a date written YYYY-MM-DD`);
const slugs = (label: string) =>
  z
    .array(z.string())
    .transform((list) => [...new Set(list.map((s) => s.trim().toLowerCase()).filter(Boolean))])
    .refine((list) => list.length <= 20, `at most 20 ${label}`)
    .refine((list) => list.every((s) => SLUG.test(s)), `${label} must be slugs: lower-case letters, digits and dashes (e.g. platform-team)`);

const personSchema = z.object({
  username: usernameSchema,
  email: z.union([z.literal(''), z.string().trim().toLowerCase().email('email must be a valid address').max(254)]).optional(),
  name: text('name').optional(),
  givenName: text('given_name').optional(),
  familyName: text('family_name').optional(),
  department: text('department').optional(),
  jobTitle: text('job_title').optional(),
  // A username or (CSV) an employee number: resolved by the route, so kept as written here.
  manager: z.string().trim().max(1024).optional(),
  employeeNumber: z.string().trim().max(64, 'the employee number is at most 64 characters').regex(/^[\w./-]*$/, 'the employee number may hold letters, digits, . / _ and -').optional(),
  teams: slugs('teams').optional(),
  employmentStatus: z.enum(EMPLOYMENT_STATUSES, { errorMap: () => ({ message: `employment_status must be one of ${EMPLOYMENT_STATUSES.join(', ')}` }) }).optional(),
  leaveUntil: date('leave_until').optional(),
  leftAt: date('left_at').optional(),
  hrRoles: slugs('roles').optional(),
});

/** Checks and normalises one person; throws a sentence naming every problem. */
export function parsePerson(raw: PersonInput): PersonInput {
  const parsed = personSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  const p = parsed.data as PersonInput;
  if (p.manager && normaliseUsername(p.manager) === p.username) throw new Error('a person cannot be their own manager');
  if (p.leftAt && p.employmentStatus && p.employmentStatus !== 'left') throw new Error('left_at only goes with employment_status left');
  if (p.leaveUntil && p.employmentStatus && p.employmentStatus !== 'on_leave') throw new Error('leave_until only goes with employment_status on_leave');
  return p;
}

/** A field's stored value in the form PersonInput carries, for comparison and export. */
export function currentValue(u: UserDoc, field: PersonField): string | string[] {
  switch (field) {
    case 'teams':
      return [...(u.teams ?? [])];
    case 'hrRoles':
      return [...(u.hrRoles ?? [])];
    case 'leaveUntil':
      return isoDate(u.leaveUntil) ?? '';
    case 'leftAt':
      return isoDate(u.leftAt) ?? '';
    case 'employmentStatus':
      return u.employmentStatus ?? 'active';
    default:
      return (u[field] as string | undefined) ?? '';
  }
}

function same(a: string | string[], b: string | string[]): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = [...[a].flat()].sort();
    const y = [...[b].flat()].sort();
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  return a === b;
}

/** The fields whose desired value differs from the stored one (all given fields for a new person). */
export function changedFields(existing: UserDoc | null, p: PersonInput): PersonField[] {
  return PERSON_FIELDS.filter((f) => {
    const want = p[f];
    if (want === undefined) return false;
    if (!existing) return Array.isArray(want) ? want.length > 0 : want !== '' && !(f === 'employmentStatus' && want === 'active');
    // A blank date is "not given" (a status change sets or clears it); a date is only compared with its status.
    if ((f === 'leftAt' || f === 'leaveUntil') && want === '') return false;
    if (f === 'leftAt' && (p.employmentStatus ?? existing.employmentStatus) !== 'left') return false;
    if (f === 'leaveUntil' && (p.employmentStatus ?? existing.employmentStatus) !== 'on_leave') return false;
    return !same(currentValue(existing, f), want);
  });
}
