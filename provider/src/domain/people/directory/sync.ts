// One-way directory sync: the directory's people become accounts (created, updated, or marked
// left when they are gone or disabled), each change through the one person-change path. The
// whole directory is read first; an empty answer, or one where no entry maps to a person, is
// refused — the same rule as the app's offboarding job: "nobody" is never a reason to offboard
// everyone.
import type { Entry } from 'ldapts';
import type { UserDoc } from '../../../db/schema';
import { AppError } from '../../../kernel/errors';
import type { Services } from '../../services';
import { normaliseUsername } from '../../../store/users';
import { applyPersonChange, markLeft, type ApplyOptions, type ChangeSource } from '../apply';
import { changedFields, parsePerson, type PersonField, type PersonInput } from '../person';
import { normaliseDn, type DirectorySettings } from './presets';
import type { DirectorySnapshot } from './read';

export interface MappedEntry {
  dn: string;
  id: string;
  person: PersonInput;
  managerDn?: string;
  disabled: boolean;
}

export interface SyncPlan {
  entries: number;
  create: { entry: MappedEntry }[];
  update: { entry: MappedEntry; existing: UserDoc; fields: PersonField[] }[];
  unchanged: number;
  leave: UserDoc[];
  skipped: { entry: string; reason: string }[];
  /** Usernames of every account when the plan was made. */
  known: Set<string>;
}

function first(entry: Entry, attribute: string): string | undefined {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  if (!key) return undefined;
  const v = entry[key];
  const one = Array.isArray(v) ? v[0] : v;
  if (one === undefined) return undefined;
  if (Buffer.isBuffer(one)) return guid(one);
  return String(one).trim();
}

/** Active Directory's objectGUID (16 bytes, first three groups little-endian) as the usual text. */
function guid(b: Buffer): string {
  if (b.length !== 16) return b.toString('hex');
  const h = (bytes: number[]) => bytes.map((i) => b[i].toString(16).padStart(2, '0')).join('');
  return `${h([3, 2, 1, 0])}-${h([5, 4])}-${h([7, 6])}-${h([8, 9])}-${h([10, 11, 12, 13, 14, 15])}`;
}

function isDisabled(attribute: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  // Active Directory: bit 2 (ACCOUNTDISABLE) of userAccountControl.
  if (attribute.toLowerCase() === 'useraccountcontrol') return (Number(value) & 2) === 2;
  // OpenLDAP ppolicy: a locked account carries pwdAccountLockedTime.
  if (attribute.toLowerCase() === 'pwdaccountlockedtime') return true;
  return /^(true|yes|1|disabled|locked|inactive)$/i.test(value);
}

/** One directory entry as a person, or why it cannot be one. */
export function mapEntry(entry: Entry, s: DirectorySettings, groupMembers: Map<string, string[]>): MappedEntry | { skip: string } {
  const a = s.attributes;
  const raw = first(entry, a.username);
  if (!raw) return { skip: `no ${a.username} (the username attribute, LDAP_ATTRIBUTE_MAP)` };
  const dn = normaliseDn(entry.dn);
  const given = first(entry, a.givenName) ?? '';
  const family = first(entry, a.familyName) ?? '';
  let department = first(entry, a.department) ?? '';
  const teams: string[] = [];
  for (const [group, target] of s.groups) {
    if (!(groupMembers.get(group) ?? []).includes(dn)) continue;
    if (target.kind === 'department') department = target.value;
    else teams.push(target.value);
  }
  const hasTeamGroups = [...s.groups.values()].some((g) => g.kind === 'team');
  const person: PersonInput = {
    username: normaliseUsername(raw),
    email: first(entry, a.email) ?? '',
    name: first(entry, a.name) || [given, family].filter(Boolean).join(' ') || raw,
    givenName: given,
    familyName: family,
    department,
    jobTitle: first(entry, a.jobTitle) ?? '',
    employeeNumber: first(entry, a.employeeNumber) ?? '',
    ...(hasTeamGroups ? { teams } : {}),
  };
  try {
    parsePerson(person);
  } catch (err) {
    return { skip: (err as Error).message };
  }
  if (!person.email) return { skip: `no ${a.email} (an account needs an e-mail address)` };
  const managerDn = first(entry, a.manager);
  return { dn, id: first(entry, a.id) || dn, person, managerDn: managerDn ? normaliseDn(managerDn) : undefined, disabled: isDisabled(a.disabled, first(entry, a.disabled)) };
}

export async function planSync(services: Services, s: DirectorySettings, snap: DirectorySnapshot): Promise<SyncPlan> {
  if (snap.people.length === 0) throw new AppError('directory_empty', `The directory returned nobody for ${s.filter} under ${s.baseDn}; nothing was changed (an empty answer never marks everyone as left).`);
  const plan: SyncPlan = { entries: snap.people.length, create: [], update: [], unchanged: 0, leave: [], skipped: [], known: new Set() };
  const mapped: MappedEntry[] = [];
  const seen = new Set<string>();
  for (const entry of snap.people) {
    const m = mapEntry(entry, s, snap.groupMembers);
    if ('skip' in m) plan.skipped.push({ entry: entry.dn, reason: m.skip });
    else if (seen.has(m.person.username)) plan.skipped.push({ entry: entry.dn, reason: `another entry also has the username "${m.person.username}"` });
    else {
      seen.add(m.person.username);
      mapped.push(m);
    }
  }
  if (mapped.length === 0) throw new AppError('directory_unmapped', `None of the ${snap.people.length} directory entries maps to a person (first: ${plan.skipped[0]?.entry}: ${plan.skipped[0]?.reason}); check LDAP_ATTRIBUTE_MAP. Nothing was changed.`);

  const all = await services.people.all();
  plan.known = new Set(all.map((u) => u.username));
  const byDirectoryId = new Map(all.filter((u) => u.source === 'directory' && u.directoryId).map((u) => [u.directoryId!, u]));
  const byUsername = new Map(all.map((u) => [u.username, u]));
  const byEmail = new Map(all.map((u) => [u.email, u]));
  const usernameOfDn = new Map(mapped.map((m) => [m.dn, m.person.username]));
  const present = new Set<string>();
  for (const m of mapped) {
    if (m.managerDn && usernameOfDn.has(m.managerDn)) m.person.manager = usernameOfDn.get(m.managerDn);
    let existing = byDirectoryId.get(m.id) ?? null;
    if (!existing) {
      const same = byUsername.get(m.person.username);
      // A local account is claimed only when its address matches: a directory entry must not take over someone else's account.
      if (same && same.source !== 'directory' && same.email !== m.person.email) {
        plan.skipped.push({ entry: m.dn, reason: `the username "${same.username}" belongs to an account that is not from the directory and has another e-mail address` });
        continue;
      }
      existing = same ?? null;
    }
    const emailOwner = byEmail.get(m.person.email!);
    if (emailOwner && emailOwner._id !== existing?._id) {
      plan.skipped.push({ entry: m.dn, reason: `the e-mail address ${m.person.email} belongs to the account "${emailOwner.username}"` });
      continue;
    }
    if (existing) present.add(existing._id);
    // Disabled in the directory → left. Re-enabling does not rehire: an administrator decides that.
    if (m.disabled && existing?.employmentStatus !== 'left') m.person.employmentStatus = 'left';
    if (m.disabled && !existing) {
      plan.skipped.push({ entry: m.dn, reason: 'disabled in the directory (no account is made for it)' });
      continue;
    }
    if (!existing) plan.create.push({ entry: m });
    else {
      if (existing.employmentStatus === 'left') {
        plan.unchanged++;
        continue; // a leaver's record is kept as it was when they left
      }
      const fields = changedFields(existing, m.person);
      if (fields.length) plan.update.push({ entry: m, existing, fields });
      else plan.unchanged++;
    }
  }
  for (const u of all) if (u.source === 'directory' && u.employmentStatus !== 'left' && !present.has(u._id)) plan.leave.push(u);
  return plan;
}

export interface SyncResult {
  created: string[];
  updated: { username: string; fields: PersonField[] }[];
  unchanged: number;
  left: string[];
  skipped: { entry: string; reason: string }[];
}

export async function applySync(services: Services, plan: SyncPlan, source: ChangeSource, opts: ApplyOptions = {}): Promise<SyncResult> {
  const result: SyncResult = { created: [], updated: [], unchanged: plan.unchanged, left: [], skipped: [...plan.skipped] };
  const later: { username: string; manager: string; dn: string }[] = [];
  const known = new Set(plan.known);
  const run = async (entry: MappedEntry, existing: UserDoc | null) => {
    const person = { ...entry.person };
    if (person.manager && !known.has(person.manager)) {
      later.push({ username: person.username, manager: person.manager, dn: entry.dn });
      delete person.manager;
    }
    try {
      const out = await applyPersonChange(services, source, existing, person, opts);
      known.add(out.user.username);
      await services.people.setMarks(out.user._id, { source: 'directory', directoryId: entry.id });
      if (out.action === 'created') result.created.push(out.user.username);
      else if (out.action === 'updated') result.updated.push({ username: out.user.username, fields: out.fields });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      result.skipped.push({ entry: entry.dn, reason: err.message });
    }
  };
  for (const c of plan.create) await run(c.entry, null);
  for (const u of plan.update) await run(u.entry, u.existing);
  for (const l of later) {
    const user = await services.users.byUsername(l.username);
    if (user) await applyPersonChange(services, source, user, { username: l.username, manager: l.manager }).catch((err) => {
      if (!(err instanceof AppError)) throw err;
      result.skipped.push({ entry: l.dn, reason: err.message });
    });
  }
  for (const u of plan.leave) {
    await markLeft(services, source, u);
    result.left.push(u.username);
  }
  return result;
}
