// The one way a person changes when the change comes from outside (CSV import, SCIM, directory
// sync): create, update, or mark as left. Profile fields go through the user store, employment
// fields through the HR lifecycle (hr/employment.ts), so a leaver arriving by any route loses
// every token, code, consent and session at once — exactly as when an administrator marks them.
import type { UserDoc } from '../../db/schema';
import { AppError } from '../../kernel/errors';
import { changeEmployment, type EmploymentInput } from '../hr/employment';
import { isoDate } from '../hr/status';
import type { Services } from '../services';
import { changedFields, PROFILE_FIELDS, type PersonField, type PersonInput } from './person';

/** Who asked: the audit actor (an admin's username, "cli", "scim:<connection>", "directory") and the route. */
export interface ChangeSource {
  actor: string;
  via: 'csv' | 'scim' | 'directory';
}

export interface PersonOutcome {
  action: 'created' | 'updated' | 'unchanged';
  fields: PersonField[];
  user: UserDoc;
  /** Set when this change made the person leave (every token revoked). */
  left?: { tokensRevoked: number };
  rehired?: boolean;
}

export interface ApplyOptions {
  /** Called once for a newly created account (e.g. send the invitation: it has no password). */
  afterCreate?: (user: UserDoc) => Promise<void>;
}

const EMPLOYMENT_KEYS: Partial<Record<PersonField, keyof EmploymentInput>> = {
  manager: 'manager',
  employeeNumber: 'employeeNumber',
  teams: 'teams',
  employmentStatus: 'status',
  leaveUntil: 'leaveUntil',
  leftAt: 'leftAt',
  hrRoles: 'hrRoles',
};

function employmentPart(p: PersonInput, fields: PersonField[]): EmploymentInput {
  const out: EmploymentInput = {};
  for (const f of fields) {
    const key = EMPLOYMENT_KEYS[f];
    if (!key) continue;
    const v = p[f];
    out[key] = Array.isArray(v) ? v.join(',') : (v ?? '');
  }
  return out;
}

function profilePart(p: PersonInput, fields: PersonField[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) if ((PROFILE_FIELDS as readonly string[]).includes(f)) out[f] = (p[f] as string | undefined) ?? '';
  return out;
}

/** A full name from the parts when none was given (stores need one). */
function displayName(p: PersonInput): string | undefined {
  if (p.name) return p.name;
  const parts = [p.givenName, p.familyName].filter(Boolean).join(' ');
  return parts || undefined;
}

/**
 * Brings one account to the desired state. `existing` is the matched account (null: create).
 * Throws AppError with nothing written when the change is refused (a failed step after creating a
 * new account removes that account again, so nothing is half-applied).
 */
export async function applyPersonChange(services: Services, source: ChangeSource, existing: UserDoc | null, input: PersonInput, opts: ApplyOptions = {}): Promise<PersonOutcome> {
  return existing ? update(services, source, existing, input) : create(services, source, input, opts);
}

async function create(services: Services, source: ChangeSource, input: PersonInput, opts: ApplyOptions): Promise<PersonOutcome> {
  const { users, db, tokens, audit } = services;
  if (!input.email) throw new AppError('invalid_person', 'email is required for a new account');
  const name = displayName(input);
  if (!name) throw new AppError('invalid_person', 'name (or given_name/family_name) is required for a new account');
  await assertEmailFree(services, input.email, null);
  // No password: the account cannot sign in until its owner sets one (invitation).
  let user = await users.create({
    username: input.username,
    email: input.email,
    name,
    // '' (an empty cell) stays empty: the store would otherwise derive the parts from the name,
    // and the same file imported again would "clear" them.
    givenName: input.givenName,
    familyName: input.familyName,
    department: input.department || undefined,
    jobTitle: input.jobTitle || undefined,
    admin: false,
  });
  const fields = changedFields(null, input);
  const employment = employmentPart(input, fields);
  let left: PersonOutcome['left'];
  if (Object.keys(employment).length > 0) {
    try {
      const change = await changeEmployment(db, tokens, user, employment);
      user = change.user;
      if (change.accessEnded) left = change.accessEnded;
    } catch (err) {
      await users.removeJustCreated(user._id);
      throw err;
    }
  }
  await audit.record(source.actor, 'user.create', user.username, { id: user._id, via: source.via, fields });
  if (left) await audit.record(source.actor, 'user.left', user.username, { id: user._id, via: source.via, leftAt: isoDate(user.leftAt), tokensRevoked: left.tokensRevoked });
  if (opts.afterCreate && user.active) await opts.afterCreate(user);
  return { action: 'created', fields, user, left };
}

async function update(services: Services, source: ChangeSource, existing: UserDoc, input: PersonInput): Promise<PersonOutcome> {
  const { users, db, tokens, audit, userCache } = services;
  if (input.username !== existing.username) throw new AppError('invalid_person', `the username "${input.username}" differs from the matched account "${existing.username}" (usernames never change)`);
  const fields = changedFields(existing, input);
  if (fields.length === 0) return { action: 'unchanged', fields, user: existing };
  const profile = profilePart(input, fields);
  if ('email' in profile && !profile.email) throw new AppError('invalid_person', 'email cannot be cleared');
  if ('name' in profile && !profile.name) throw new AppError('invalid_person', 'name cannot be cleared');
  if (profile.email) await assertEmailFree(services, profile.email, existing._id);
  const employment = employmentPart(input, fields);
  let user = existing;
  let left: PersonOutcome['left'];
  let rehired = false;
  // Employment first: it is the step with more rules (manager must exist, dates with their status).
  if (Object.keys(employment).length > 0) {
    const change = await changeEmployment(db, tokens, user, employment);
    user = change.user;
    if (change.accessEnded) left = change.accessEnded;
    rehired = Boolean(change.rehired);
  }
  if (Object.keys(profile).length > 0) user = await users.update(user._id, profile);
  userCache.forget(user._id);
  await audit.record(source.actor, 'user.update', user.username, { id: user._id, via: source.via, fields });
  if (left) await audit.record(source.actor, 'user.left', user.username, { id: user._id, via: source.via, leftAt: isoDate(user.leftAt), tokensRevoked: left.tokensRevoked });
  if (rehired) await audit.record(source.actor, 'user.rehire', user.username, { id: user._id, via: source.via });
  return { action: 'updated', fields, user, left, rehired };
}

/** Marks a person as left (SCIM DELETE / active:false, a directory removal, a CSV row missing with --deactivate-missing). */
export async function markLeft(services: Services, source: ChangeSource, user: UserDoc): Promise<PersonOutcome> {
  return update(services, source, user, { username: user.username, employmentStatus: 'left' });
}

/** FerretDB reports a unique-index clash on update without a usable code: ask first. */
async function assertEmailFree(services: Services, email: string, ownId: string | null): Promise<void> {
  const normalized = email.trim().toLowerCase();
  const other = await services.people.byEmail(normalized);
  if (other && other._id !== ownId) throw new AppError('duplicate_email', `A user with email "${normalized}" already exists.`, 409);
}
