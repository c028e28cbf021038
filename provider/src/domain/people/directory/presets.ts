// Which directory attribute holds which person field: presets for OpenLDAP (inetOrgPerson) and
// Active Directory, overridable one field at a time (LDAP_ATTRIBUTE_MAP).
import type { Config } from '../../../kernel/config';

export const DIRECTORY_FIELDS = ['username', 'email', 'name', 'givenName', 'familyName', 'department', 'jobTitle', 'manager', 'employeeNumber', 'disabled', 'id'] as const;
export type DirectoryField = (typeof DIRECTORY_FIELDS)[number];
export type AttributeMap = Record<DirectoryField, string>;

export const PRESETS: Record<'openldap' | 'active-directory', { attributes: AttributeMap; filter: string }> = {
  openldap: {
    attributes: { username: 'uid', email: 'mail', name: 'cn', givenName: 'givenName', familyName: 'sn', department: 'ou', jobTitle: 'title', manager: 'manager', employeeNumber: 'employeeNumber', disabled: 'pwdAccountLockedTime', id: 'entryUUID' },
    filter: '(objectClass=inetOrgPerson)',
  },
  'active-directory': {
    attributes: { username: 'sAMAccountName', email: 'mail', name: 'displayName', givenName: 'givenName', familyName: 'sn', department: 'department', jobTitle: 'title', manager: 'manager', employeeNumber: 'employeeNumber', disabled: 'userAccountControl', id: 'objectGUID' },
    filter: '(&(objectCategory=person)(objectClass=user))',
  },
};

export interface DirectorySettings {
  url: string;
  startTls: boolean;
  caFile?: string;
  bindDn?: string;
  bindPassword?: string;
  baseDn: string;
  filter: string;
  attributes: AttributeMap;
  /** Group DN (lower-cased) → department name or team slug. */
  groups: Map<string, { kind: 'department' | 'team'; value: string }>;
  timeoutMs: number;
}

/** The settings, or null when no directory is configured (LDAP_URL unset). */
export function directorySettings(config: Config): DirectorySettings | null {
  if (!config.LDAP_URL) return null;
  const preset = PRESETS[config.LDAP_PRESET];
  const groups = new Map<string, { kind: 'department' | 'team'; value: string }>();
  for (const [dn, target] of Object.entries(JSON.parse(config.LDAP_GROUP_MAP) as Record<string, string>)) {
    const [kind, ...rest] = target.split(':');
    groups.set(normaliseDn(dn), { kind: kind as 'department' | 'team', value: rest.join(':') });
  }
  return {
    url: config.LDAP_URL,
    startTls: config.LDAP_STARTTLS && config.LDAP_URL.toLowerCase().startsWith('ldap://'),
    caFile: config.LDAP_TLS_CA_FILE,
    bindDn: config.LDAP_BIND_DN,
    bindPassword: config.LDAP_BIND_PASSWORD,
    baseDn: config.LDAP_BASE_DN ?? '',
    filter: config.LDAP_USER_FILTER ?? preset.filter,
    attributes: { ...preset.attributes, ...(JSON.parse(config.LDAP_ATTRIBUTE_MAP) as Partial<AttributeMap>) },
    groups,
    timeoutMs: config.LDAP_TIMEOUT_SECONDS * 1000,
  };
}

/** DNs compare case-insensitively and without spaces after commas. */
export function normaliseDn(dn: string): string {
  return dn.trim().replace(/\s*,\s*/g, ',').toLowerCase();
}
