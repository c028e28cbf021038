// An HRM account as a SCIM User (core + enterprise extension) and back. PUT and PATCH both end
// as "the whole resource as the client wants it" (toPerson), applied by the one person-change path.
import type { PersonDoc } from '../../../store/people';
import type { PersonInput } from '../person';
import { ScimError } from './errors';
import { ENTERPRISE_SCHEMA, IGNORED_USER_ATTRIBUTES, USER_SCHEMA } from './schemas';

export type Json = Record<string, unknown>;

export function userLocation(base: string, id: string): string {
  return `${base}/Users/${id}`;
}

/** `manager`: the manager's account, when the user has one. */
export function toScimUser(u: PersonDoc, base: string, manager: PersonDoc | null): Json {
  const enterprise: Json = {};
  if (u.employeeNumber) enterprise.employeeNumber = u.employeeNumber;
  if (u.department) enterprise.department = u.department;
  if (manager) enterprise.manager = { value: manager._id, $ref: userLocation(base, manager._id) };
  const name: Json = {};
  if (u.givenName) name.givenName = u.givenName;
  if (u.familyName) name.familyName = u.familyName;
  return {
    schemas: Object.keys(enterprise).length ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [USER_SCHEMA],
    id: u._id,
    ...(u.externalId ? { externalId: u.externalId } : {}),
    userName: u.username,
    displayName: u.name,
    ...(Object.keys(name).length ? { name } : {}),
    emails: [{ value: u.email }],
    ...(u.jobTitle ? { title: u.jobTitle } : {}),
    active: u.active && u.employmentStatus !== 'left',
    ...(Object.keys(enterprise).length ? { [ENTERPRISE_SCHEMA]: enterprise } : {}),
    meta: { resourceType: 'User', created: u.createdAt.toISOString(), lastModified: u.updatedAt.toISOString(), location: userLocation(base, u._id) },
  };
}

/** Entra ID sends booleans as "True"/"False". */
export function scimBoolean(v: unknown, label: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  throw new ScimError(400, `${label} must be true or false.`, 'invalidValue');
}

function str(v: unknown, label: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ScimError(400, `${label} must be a string.`, 'invalidValue');
  return v;
}

function obj(v: unknown, label: string): Json | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new ScimError(400, `${label} must be an object.`, 'invalidValue');
  return v as Json;
}

/** Attribute names are case-insensitive (RFC 7643 §2.1): a lower-cased copy of the top level. */
function lowerKeys(body: Json): Map<string, unknown> {
  return new Map(Object.entries(body).map(([k, v]) => [k.toLowerCase(), v]));
}

const KNOWN = new Set(['schemas', 'externalid', 'username', 'displayname', 'name', 'emails', 'title', 'active', ENTERPRISE_SCHEMA.toLowerCase()]);

export interface ScimUserInput {
  person: PersonInput;
  externalId: string | null;
  /** undefined: not given. */
  active?: boolean;
  /** The manager as an account id (resolved to a username by the caller). */
  managerId: string | null;
}

/** Reads a full User (POST, PUT, or a PATCHed copy); anything it does not carry is cleared. */
export function readScimUser(body: unknown): ScimUserInput {
  const b = obj(body, 'The body');
  if (!b) throw new ScimError(400, 'The body must be a SCIM User object.', 'invalidSyntax');
  const schemas = b.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(USER_SCHEMA)) throw new ScimError(400, `"schemas" must list ${USER_SCHEMA}.`, 'invalidSyntax');
  const unknownSchemas = schemas.filter((s) => s !== USER_SCHEMA && s !== ENTERPRISE_SCHEMA);
  if (unknownSchemas.length) throw new ScimError(400, `Unknown schema ${JSON.stringify(unknownSchemas[0])}: this server serves ${USER_SCHEMA} and ${ENTERPRISE_SCHEMA}.`, 'invalidSyntax');
  const m = lowerKeys(b);
  const unknown = [...m.keys()].filter((k) => !KNOWN.has(k) && !IGNORED_USER_ATTRIBUTES.has(k));
  if (unknown.length) throw new ScimError(400, `Unknown attribute${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; see /scim/v2/Schemas.`, 'invalidSyntax');
  const userName = str(m.get('username'), 'userName');
  if (!userName?.trim()) throw new ScimError(400, 'userName is required.', 'invalidValue');
  const name = obj(m.get('name'), 'name');
  const nameParts = name ? lowerKeys(name) : new Map<string, unknown>();
  const emails = m.get('emails');
  if (emails !== undefined && emails !== null && !Array.isArray(emails)) throw new ScimError(400, 'emails must be an array.', 'invalidValue');
  const list = ((emails as unknown[] | undefined) ?? []).map((e) => obj(e, 'Each email') ?? {});
  const chosen = list.find((e) => e.primary === true || e.primary === 'True' || e.primary === 'true') ?? list[0];
  const email = chosen ? str(chosen.value, 'emails.value') : undefined;
  const enterprise = obj(m.get(ENTERPRISE_SCHEMA.toLowerCase()), ENTERPRISE_SCHEMA) ?? {};
  const ent = lowerKeys(enterprise);
  const manager = ent.get('manager');
  // Entra ID may send the manager as a bare id string.
  const managerId = typeof manager === 'string' ? manager : (str(obj(manager, 'manager')?.value, 'manager.value') ?? null);
  const given = str(nameParts.get('givenname'), 'name.givenName') ?? '';
  const family = str(nameParts.get('familyname'), 'name.familyName') ?? '';
  const formatted = str(nameParts.get('formatted'), 'name.formatted');
  const displayName = str(m.get('displayname'), 'displayName') || formatted || [given, family].filter(Boolean).join(' ') || userName;
  const active = m.has('active') && m.get('active') !== null ? scimBoolean(m.get('active'), 'active') : undefined;
  return {
    person: {
      username: userName,
      email: email ?? '',
      name: displayName,
      givenName: given,
      familyName: family,
      jobTitle: str(m.get('title'), 'title') ?? '',
      employeeNumber: str(ent.get('employeenumber'), 'employeeNumber') ?? '',
      department: str(ent.get('department'), 'department') ?? '',
    },
    externalId: str(m.get('externalid'), 'externalId') || null,
    active,
    managerId: managerId || null,
  };
}
