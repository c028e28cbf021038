// The SCIM operations (RFC 7644 §3) on Users and Groups. Every change to a person goes through
// applyPersonChange / markLeft (domain/people/apply.ts): `active: false` and DELETE make the
// person leave exactly as the HR lifecycle does. DELETE never erases an account: it is marked
// left, hidden from SCIM (404 from then on, as RFC 7644 §3.6 requires) and kept with its history.
import { AppError } from '../../../kernel/errors';
import { slugify } from '../../hr/groups';
import type { Services } from '../../services';
import type { PeopleGroupDoc } from '../../../db/schema';
import type { PersonDoc } from '../../../store/people';
import { normaliseUsername } from '../../../store/users';
import { applyPersonChange, markLeft, type ApplyOptions, type ChangeSource } from '../apply';
import { parsePerson, type PersonInput } from '../person';
import { ScimError, notFound } from './errors';
import { groupFilter, parseGroupFilter, userFilter } from './filter';
import { filter as scimFilter } from 'scim2-parse-filter';
import { applyPatch } from './patch';
import { GROUP_SCHEMA, LIST_SCHEMA } from './schemas';
import { readScimUser, toScimUser, userLocation, type Json } from './user-resource';

export interface ListQuery {
  filter?: string;
  startIndex?: string;
  count?: string;
}

export interface ScimSettings {
  /** Absolute base URL of /scim/v2. */
  base: string;
  maxResults: number;
  afterCreate?: ApplyOptions['afterCreate'];
}

const NOT_DELETED = { scimDeletedAt: { $exists: false } };
/** Ids of the read-only department groups. */
const DEPARTMENT_PREFIX = 'department-';

/** AppErrors of the stores and the HR lifecycle in SCIM's words. */
function scimFrom(err: unknown): unknown {
  if (!(err instanceof AppError)) return err;
  if (err.status === 409 || err.code.startsWith('duplicate')) return new ScimError(409, err.message, 'uniqueness');
  if (err.status === 404) return new ScimError(404, err.message);
  return new ScimError(400, err.message, 'invalidValue');
}

function page(q: ListQuery, maxResults: number): { skip: number; limit: number; startIndex: number } {
  const int = (v: string | undefined, label: string, fallback: number) => {
    if (v === undefined || v === '') return fallback;
    if (!/^-?\d{1,9}$/.test(v)) throw new ScimError(400, `${label} must be a whole number.`, 'invalidValue');
    return Number(v);
  };
  // RFC 7644 §3.4.2.4: below 1 means 1; a negative count means 0; more than we serve is capped.
  const startIndex = Math.max(1, int(q.startIndex, 'startIndex', 1));
  const count = Math.min(maxResults, Math.max(0, int(q.count, 'count', maxResults)));
  return { skip: startIndex - 1, limit: count, startIndex };
}

export class ScimService {
  private readonly people;
  private readonly groups;

  constructor(private readonly services: Services, private readonly settings: ScimSettings) {
    this.people = services.people;
    this.groups = services.peopleGroups;
  }

  private list(resources: Json[], total: number, startIndex: number): Json {
    return { schemas: [LIST_SCHEMA], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
  }

  // ---- Users -------------------------------------------------------------------------------

  private async render(users: PersonDoc[]): Promise<Json[]> {
    const managers = new Map((await this.people.byUsernames([...new Set(users.map((u) => u.manager).filter((m): m is string => !!m))])).map((m) => [m.username, m]));
    return users.map((u) => toScimUser(u, this.settings.base, (u.manager && managers.get(u.manager)) || null));
  }

  private async visibleUser(id: string): Promise<PersonDoc> {
    const u = typeof id === 'string' && id.length <= 100 ? await this.people.byId(id) : null;
    if (!u || u.scimDeletedAt) throw notFound('User');
    return u;
  }

  async listUsers(q: ListQuery): Promise<Json> {
    const p = page(q, this.settings.maxResults);
    const { total, docs } = await this.people.find({ $and: [userFilter(q.filter), NOT_DELETED] }, p);
    return this.list(await this.render(docs), total, p.startIndex);
  }

  async getUser(id: string): Promise<Json> {
    return (await this.render([await this.visibleUser(id)]))[0];
  }

  /** The person the client described, with the manager as a username and `active` as a status. */
  private async personFrom(body: unknown, existing: PersonDoc | null): Promise<{ person: PersonInput; externalId: string | null }> {
    const read = readScimUser(body);
    let manager = '';
    if (read.managerId) {
      const m = await this.people.byId(read.managerId);
      if (!m) throw new ScimError(400, `The manager "${read.managerId}" is not a User of this server.`, 'invalidValue');
      manager = m.username;
    }
    const person: PersonInput = { ...read.person, manager };
    if (read.active === false) person.employmentStatus = 'left';
    else if (read.active === true && existing?.employmentStatus === 'left') person.employmentStatus = 'active';
    try {
      return { person: parsePerson(person), externalId: read.externalId };
    } catch (err) {
      throw new ScimError(400, (err as Error).message, 'invalidValue');
    }
  }

  async createUser(body: unknown, source: ChangeSource): Promise<Json> {
    const userName = readScimUser(body).person.username;
    const taken = await this.services.users.byUsername(normaliseUsername(userName));
    // A person a SCIM client deleted and now assigns again comes back with their history (a rehire).
    if (taken && !(taken as PersonDoc).scimDeletedAt) throw new ScimError(409, `A User with userName "${taken.username}" already exists.`, 'uniqueness');
    const existing = (taken as PersonDoc | null) ?? null;
    const { person, externalId } = await this.personFrom(body, existing);
    if (existing && !person.employmentStatus && existing.employmentStatus === 'left') person.employmentStatus = 'active';
    if (!person.email) throw new ScimError(400, 'emails must hold an address.', 'invalidValue');
    const out = await applyPersonChange(this.services, source, existing, person, { afterCreate: this.settings.afterCreate }).catch((err) => {
      throw scimFrom(err);
    });
    await this.people.setMarks(out.user._id, { source: 'scim', externalId, scimDeletedAt: null });
    return this.getUser(out.user._id);
  }

  async replaceUser(id: string, body: unknown, source: ChangeSource): Promise<Json> {
    const existing = await this.visibleUser(id);
    const { person, externalId } = await this.personFrom(body, existing);
    if (normaliseUsername(person.username) !== existing.username) throw new ScimError(400, `userName cannot change (it is "${existing.username}").`, 'mutability');
    if (!person.email) throw new ScimError(400, 'emails must hold an address.', 'invalidValue');
    await applyPersonChange(this.services, source, existing, person).catch((err) => {
      throw scimFrom(err);
    });
    await this.people.setMarks(existing._id, { externalId });
    return this.getUser(id);
  }

  async patchUser(id: string, body: unknown, source: ChangeSource): Promise<Json> {
    const current = await this.getUser(id);
    return this.replaceUser(id, applyPatch(current, body), source);
  }

  async deleteUser(id: string, source: ChangeSource): Promise<void> {
    const existing = await this.visibleUser(id);
    if (existing.employmentStatus !== 'left') await markLeft(this.services, source, existing).catch((err) => {
      throw scimFrom(err);
    });
    await this.people.setMarks(existing._id, { scimDeletedAt: new Date() });
    await this.services.audit.record(source.actor, 'scim.user_delete', existing.username, { id: existing._id });
  }

  // ---- Groups (teams) ----------------------------------------------------------------------

  private async renderGroup(g: PeopleGroupDoc, withMembers = true): Promise<Json> {
    const members = withMembers ? await this.people.teamMembers(g.slug) : [];
    return {
      schemas: [GROUP_SCHEMA],
      id: g._id,
      ...(g.externalId ? { externalId: g.externalId } : {}),
      displayName: g.displayName,
      ...(members.length ? { members: members.map((m) => ({ value: m._id, $ref: userLocation(this.settings.base, m._id) })) } : {}),
      meta: { resourceType: 'Group', created: g.createdAt.toISOString(), lastModified: g.updatedAt.toISOString(), location: `${this.settings.base}/Groups/${g._id}` },
    };
  }

  private async group(id: string): Promise<PeopleGroupDoc> {
    const g = typeof id === 'string' && id.length <= 100 ? await this.groups.byId(id) : null;
    if (!g) throw notFound('Group');
    return g;
  }

  /** Teams first (stored), then departments (read-only, from the users' department). */
  async listGroups(q: ListQuery, withMembers: boolean): Promise<Json> {
    const p = page(q, this.settings.maxResults);
    const filter = groupFilter(q.filter);
    const resolved = await this.resolveMemberTerm(filter);
    const teamCount = (await this.groups.find(resolved, { skip: 0, limit: 0 })).total;
    const teams = p.skip < teamCount && p.limit > 0 ? (await this.groups.find(resolved, { skip: p.skip, limit: p.limit })).docs : [];
    const rendered = await Promise.all(teams.map((g) => this.renderGroup(g, withMembers)));
    // Departments are few: rendered whole and filtered in memory with the same (already checked) filter.
    const matches = q.filter ? scimFilter(parseGroupFilter(q.filter)) : () => true;
    const departments = (await this.departmentGroups()).filter((d) => matches(d));
    const fromDepartments = Math.max(0, p.skip - teamCount);
    const room = p.limit - rendered.length;
    for (const d of departments.slice(fromDepartments, fromDepartments + Math.max(0, room))) rendered.push(withMembers ? d : { ...d, members: undefined });
    return this.list(rendered.map((r) => JSON.parse(JSON.stringify(r)) as Json), teamCount + departments.length, p.startIndex);
  }

  /** Each department as a read-only Group: id "department-<slug>", members from the users' department. */
  private async departmentGroups(): Promise<Json[]> {
    const bySlug = new Map<string, string[]>();
    for (const name of (await this.people.departmentNames()).sort()) {
      const slug = slugify(name);
      if (slug) bySlug.set(slug, [...(bySlug.get(slug) ?? []), name]);
    }
    return Promise.all([...bySlug].map(async ([slug, names]) => {
      const members = await this.people.departmentMembers(names);
      return {
        schemas: [GROUP_SCHEMA],
        id: `${DEPARTMENT_PREFIX}${slug}`,
        displayName: names[0],
        ...(members.length ? { members: members.map((m) => ({ value: m._id, $ref: userLocation(this.settings.base, m._id) })) } : {}),
        meta: { resourceType: 'Group', location: `${this.settings.base}/Groups/${DEPARTMENT_PREFIX}${slug}` },
      };
    }));
  }

  private refuseDepartment(id: string): void {
    if (typeof id === 'string' && id.startsWith(DEPARTMENT_PREFIX)) throw new ScimError(400, "A department group is read-only: it follows each User's enterprise \"department\" attribute.", 'mutability');
  }

  /** `members[value eq "id"]` → the groups whose slug is among that user's teams. */
  private async resolveMemberTerm(filter: Record<string, unknown>): Promise<Record<string, unknown>> {
    const walk = async (f: Record<string, unknown>): Promise<Record<string, unknown>> => {
      if (Array.isArray(f.$and)) return { $and: await Promise.all((f.$and as Record<string, unknown>[]).map(walk)) };
      if (typeof f.__member === 'string') {
        const u = await this.people.byId(f.__member);
        return { slug: { $in: u?.teams ?? [] } };
      }
      return f;
    };
    return walk(filter);
  }

  async getGroup(id: string, withMembers = true): Promise<Json> {
    if (typeof id === 'string' && id.startsWith(DEPARTMENT_PREFIX)) {
      const d = (await this.departmentGroups()).find((g) => g.id === id);
      if (!d) throw notFound('Group');
      return withMembers ? d : { ...d, members: undefined };
    }
    return this.renderGroup(await this.group(id), withMembers);
  }

  private readGroup(body: unknown): { displayName: string; externalId: string | null; memberIds: string[] } {
    const b = body as Json | null;
    if (!b || typeof b !== 'object' || Array.isArray(b)) throw new ScimError(400, 'The body must be a SCIM Group object.', 'invalidSyntax');
    if (!Array.isArray(b.schemas) || !b.schemas.includes(GROUP_SCHEMA)) throw new ScimError(400, `"schemas" must list ${GROUP_SCHEMA}.`, 'invalidSyntax');
    const m = new Map(Object.entries(b).map(([k, v]) => [k.toLowerCase(), v]));
    const unknown = [...m.keys()].filter((k) => !['schemas', 'id', 'meta', 'externalid', 'displayname', 'members'].includes(k));
    if (unknown.length) throw new ScimError(400, `Unknown attribute${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; see /scim/v2/Schemas.`, 'invalidSyntax');
    const displayName = m.get('displayname');
    if (typeof displayName !== 'string' || !displayName.trim() || displayName.length > 200) throw new ScimError(400, 'displayName is required (at most 200 characters).', 'invalidValue');
    const members = m.get('members') ?? [];
    if (!Array.isArray(members) || members.length > 10000) throw new ScimError(400, 'members must be an array (at most 10,000).', 'invalidValue');
    const memberIds = members.map((x) => {
      const v = (x as Json | null)?.value;
      if (typeof v !== 'string') throw new ScimError(400, 'Each member needs a "value": the id of a User.', 'invalidValue');
      return v;
    });
    const externalId = m.get('externalid');
    if (externalId !== undefined && externalId !== null && typeof externalId !== 'string') throw new ScimError(400, 'externalId must be a string.', 'invalidValue');
    return { displayName: displayName.trim(), externalId: (externalId as string | undefined) || null, memberIds: [...new Set(memberIds)] };
  }

  /** Adds or removes the team slug on accounts, each through the one person-change path. */
  private async setTeam(slug: string, want: string[], source: ChangeSource): Promise<void> {
    const current = new Set((await this.people.teamMembers(slug)).map((u) => u._id));
    const wanted = new Set(want);
    const users = await Promise.all(want.filter((id) => !current.has(id)).map(async (id) => {
      const u = await this.people.byId(id);
      if (!u || u.scimDeletedAt) throw new ScimError(400, `The member "${id}" is not a User of this server.`, 'invalidValue');
      return u;
    }));
    for (const u of users) await this.changeTeams(u, [...(u.teams ?? []), slug], source);
    for (const id of current) {
      if (wanted.has(id)) continue;
      const u = await this.people.byId(id);
      if (u) await this.changeTeams(u, (u.teams ?? []).filter((t) => t !== slug), source);
    }
  }

  private async changeTeams(u: PersonDoc, teams: string[], source: ChangeSource): Promise<void> {
    await applyPersonChange(this.services, source, u, { username: u.username, teams }).catch((err) => {
      throw scimFrom(err);
    });
  }

  async createGroup(body: unknown, source: ChangeSource): Promise<Json> {
    const g = this.readGroup(body);
    const slug = slugify(g.displayName);
    if (!slug) throw new ScimError(400, 'displayName must hold letters or digits (it names the team).', 'invalidValue');
    const doc = await this.groups.create(slug, g.displayName, g.externalId ?? undefined).catch((err) => {
      throw scimFrom(err);
    });
    try {
      await this.setTeam(slug, g.memberIds, source);
    } catch (err) {
      await this.groups.remove(doc._id);
      throw err;
    }
    await this.services.audit.record(source.actor, 'scim.group_create', `team:${slug}`, { id: doc._id, members: g.memberIds.length });
    return this.getGroup(doc._id);
  }

  async replaceGroup(id: string, body: unknown, source: ChangeSource): Promise<Json> {
    this.refuseDepartment(id);
    const doc = await this.group(id);
    const g = this.readGroup(body);
    await this.setTeam(doc.slug, g.memberIds, source);
    await this.groups.update(doc._id, { displayName: g.displayName, externalId: g.externalId });
    await this.services.audit.record(source.actor, 'scim.group_update', `team:${doc.slug}`, { id: doc._id });
    return this.getGroup(id);
  }

  async patchGroup(id: string, body: unknown, source: ChangeSource): Promise<Json> {
    this.refuseDepartment(id);
    const current = await this.getGroup(id);
    return this.replaceGroup(id, applyPatch(current, body), source);
  }

  async deleteGroup(id: string, source: ChangeSource): Promise<void> {
    this.refuseDepartment(id);
    const doc = await this.group(id);
    await this.setTeam(doc.slug, [], source);
    await this.groups.remove(doc._id);
    await this.services.audit.record(source.actor, 'scim.group_delete', `team:${doc.slug}`, { id: doc._id });
  }
}
