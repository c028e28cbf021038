// SCIM filters (RFC 7644 §3.4.2.2) parsed by scim2-parse-filter and turned into a database query
// on a short list of attributes: `eq` (and `and` of them), the probes Entra ID and Okta make
// (`userName eq "…"`, `externalId eq "…"`, `emails[type eq "work"].value eq "…"`). Values only
// ever become equality operands, never operators: a filter cannot inject a query.
import { parse, type Filter } from 'scim2-parse-filter';
import { normaliseUsername } from '../../../store/users';
import { ScimError } from './errors';
import { ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './schemas';

type Mapper = (value: string) => Record<string, unknown>;

const USER_ATTRIBUTES: Record<string, Mapper> = {
  id: (v) => ({ _id: v }),
  username: (v) => ({ username: normaliseUsername(v) }),
  externalid: (v) => ({ externalId: v }),
  emails: (v) => ({ email: v.trim().toLowerCase() }),
  'emails.value': (v) => ({ email: v.trim().toLowerCase() }),
  displayname: (v) => ({ name: v }),
  'enterprise:employeenumber': (v) => ({ employeeNumber: v }),
  'enterprise:department': (v) => ({ department: v }),
};

const GROUP_ATTRIBUTES: Record<string, Mapper> = {
  id: (v) => ({ _id: v }),
  displayname: (v) => ({ displayName: v }),
  externalid: (v) => ({ externalId: v }),
};

/** "urn:…:User:userName" → "username"; the enterprise extension's attributes keep a prefix. */
function attributeKey(path: string, schema: string): string {
  let p = path.toLowerCase();
  const enterprise = `${ENTERPRISE_SCHEMA.toLowerCase()}:`;
  if (p.startsWith(enterprise)) return `enterprise:${p.slice(enterprise.length)}`;
  if (p.startsWith(`${schema.toLowerCase()}:`)) p = p.slice(schema.length + 1);
  return p;
}

function toQuery(f: Filter, attributes: Record<string, Mapper>, schema: string, depth: number): Record<string, unknown> {
  if (depth > 10) throw new ScimError(400, 'The filter is nested too deeply.', 'invalidFilter');
  switch (f.op) {
    case 'and':
      return { $and: f.filters.map((x) => toQuery(x, attributes, schema, depth + 1)) };
    case 'eq': {
      const key = attributeKey(f.attrPath, schema);
      const map = attributes[key];
      if (!map) throw new ScimError(400, `Filtering on "${f.attrPath}" is not supported; filter with eq on ${Object.keys(attributes).join(', ')}.`, 'invalidFilter');
      if (typeof f.compValue !== 'string') throw new ScimError(400, `"${f.attrPath}" is compared with a string.`, 'invalidFilter');
      return map(f.compValue);
    }
    case '[]': {
      // emails[type eq "work"].value is parsed as a value path: only the address counts here.
      const key = attributeKey(f.attrPath, schema);
      if (key === 'emails' && f.valFilter.op === 'eq' && /^value$/i.test(f.valFilter.attrPath) && typeof f.valFilter.compValue === 'string') return USER_ATTRIBUTES.emails(f.valFilter.compValue);
      if (key === 'members' && f.valFilter.op === 'eq' && /^value$/i.test(f.valFilter.attrPath) && typeof f.valFilter.compValue === 'string') return { __member: f.valFilter.compValue };
      throw new ScimError(400, `Filtering on "${f.attrPath}[…]" is not supported.`, 'invalidFilter');
    }
    default:
      throw new ScimError(400, `The operator "${f.op}" is not supported; use eq, combined with and.`, 'invalidFilter');
  }
}

function parseFilter(text: string): Filter {
  if (text.length > 1000) throw new ScimError(400, 'The filter is too long.', 'invalidFilter');
  // Entra's emails[type eq "work"].value eq "x": compare the address, whatever its type.
  const smoothed = text.replace(/emails\[[^\]]*\]\.value/gi, 'emails.value');
  try {
    return parse(smoothed);
  } catch (err) {
    throw new ScimError(400, `The filter could not be read: ${(err as Error).message}`, 'invalidFilter');
  }
}

export function userFilter(text: string | undefined): Record<string, unknown> {
  return text ? toQuery(parseFilter(text), USER_ATTRIBUTES, USER_SCHEMA, 0) : {};
}

/** The parsed filter (for matching department groups in memory). */
export function parseGroupFilter(text: string): Filter {
  return parseFilter(text);
}

/** Group filters; a `members[value eq "id"]` term comes back as `__member` for the caller. */
export function groupFilter(text: string | undefined): Record<string, unknown> {
  return text ? toQuery(parseFilter(text), GROUP_ATTRIBUTES, GROUP_SCHEMA, 0) : {};
}
