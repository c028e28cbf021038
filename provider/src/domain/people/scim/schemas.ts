// Discovery (RFC 7643 §5–7, RFC 7644 §4): what this server serves. Only what is published here is
// promised: scim2-tester (test/people/scim-tester.test.ts) checks every published attribute.
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RT_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

interface Attr {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';
  multiValued?: boolean;
  required?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable';
  uniqueness?: 'none' | 'server';
  caseExact?: boolean;
  referenceTypes?: string[];
  subAttributes?: Attr[];
  description: string;
}

function attr(a: Attr): Record<string, unknown> {
  return {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued ?? false,
    description: a.description,
    required: a.required ?? false,
    caseExact: a.caseExact ?? false,
    mutability: a.mutability ?? 'readWrite',
    returned: 'default',
    uniqueness: a.uniqueness ?? 'none',
    ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attr) } : {}),
  };
}

// displayName, emails and active are required here (Entra ID and Okta always send them): the
// account needs a name and an address, and "active" is its employment status.
const USER_ATTRIBUTES: Attr[] = [
  { name: 'userName', type: 'string', required: true, mutability: 'immutable', uniqueness: 'server', description: 'Login name: lower-cased; letters, digits, dot, dash, underscore. Usernames never change.' },
  { name: 'displayName', type: 'string', required: true, description: 'Full name.' },
  { name: 'name', type: 'complex', description: 'Name parts.', subAttributes: [
    { name: 'givenName', type: 'string', description: 'Given name.' },
    { name: 'familyName', type: 'string', description: 'Family name.' },
  ] },
  { name: 'emails', type: 'complex', multiValued: true, required: true, uniqueness: 'server', description: 'The one e-mail address (unique); the first or primary one is kept.', subAttributes: [
    { name: 'value', type: 'string', required: true, description: 'E-mail address.' },
  ] },
  { name: 'title', type: 'string', description: 'Job title.' },
  { name: 'active', type: 'boolean', required: true, description: 'false = the person has left: the account is deactivated and every token revoked at once.' },
];

const ENTERPRISE_ATTRIBUTES: Attr[] = [
  { name: 'employeeNumber', type: 'string', description: 'Employee number.' },
  { name: 'department', type: 'string', description: 'Department (its slug is a group in the groups claim).' },
  { name: 'manager', type: 'complex', description: 'The manager: another User.', subAttributes: [
    { name: 'value', type: 'string', description: 'The manager’s id.' },
    { name: '$ref', type: 'reference', referenceTypes: ['User'], description: 'The manager’s URI.' },
  ] },
];

const GROUP_ATTRIBUTES: Attr[] = [
  { name: 'displayName', type: 'string', required: true, description: 'Team name; the team slug (groups claim) is made from the first name and never changes.' },
  { name: 'members', type: 'complex', multiValued: true, description: 'Members (Users).', subAttributes: [
    { name: 'value', type: 'string', mutability: 'immutable', description: 'The member’s id.' },
    { name: '$ref', type: 'reference', referenceTypes: ['User'], mutability: 'immutable', description: 'The member’s URI.' },
  ] },
];

const meta = (base: string, resourceType: string, id: string) => ({ resourceType, location: `${base}/${resourceType === 'Schema' ? 'Schemas' : 'ResourceTypes'}/${id}` });

export function schemaDocs(base: string) {
  return [
    { schemas: [SCHEMA_SCHEMA], id: USER_SCHEMA, name: 'User', description: 'HRM account', attributes: USER_ATTRIBUTES.map(attr), meta: meta(base, 'Schema', USER_SCHEMA) },
    { schemas: [SCHEMA_SCHEMA], id: ENTERPRISE_SCHEMA, name: 'EnterpriseUser', description: 'HR fields', attributes: ENTERPRISE_ATTRIBUTES.map(attr), meta: meta(base, 'Schema', ENTERPRISE_SCHEMA) },
    { schemas: [SCHEMA_SCHEMA], id: GROUP_SCHEMA, name: 'Group', description: 'Team', attributes: GROUP_ATTRIBUTES.map(attr), meta: meta(base, 'Schema', GROUP_SCHEMA) },
  ];
}

export function resourceTypeDocs(base: string) {
  return [
    { schemas: [RT_SCHEMA], id: 'User', name: 'User', endpoint: '/Users', description: 'HRM account', schema: USER_SCHEMA, schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }], meta: meta(base, 'ResourceType', 'User') },
    { schemas: [RT_SCHEMA], id: 'Group', name: 'Group', endpoint: '/Groups', description: 'Team (read-write) or department (read-only)', schema: GROUP_SCHEMA, schemaExtensions: [], meta: meta(base, 'ResourceType', 'Group') },
  ];
}

export function serviceProviderConfig(base: string, maxResults: number, maxPayloadSize: number, docsUrl: string) {
  return {
    schemas: [SPC_SCHEMA],
    documentationUri: docsUrl,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize },
    filter: { supported: true, maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [{ type: 'oauthbearertoken', name: 'Bearer token', description: 'A connection token from `hrm-sso scim token create` or the admin page, sent as "Authorization: Bearer …".', primary: true }],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

/** Attribute names (lower-case) RFC 7643 §4.1 defines for User that this server accepts and does not keep (Entra ID's default mappings send several). */
export const IGNORED_USER_ATTRIBUTES = new Set(['nickname', 'profileurl', 'usertype', 'preferredlanguage', 'locale', 'timezone', 'password', 'phonenumbers', 'ims', 'photos', 'addresses', 'groups', 'entitlements', 'roles', 'x509certificates', 'meta', 'id']);
