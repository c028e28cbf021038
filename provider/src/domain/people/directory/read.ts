// Reads the whole directory (people and the mapped groups) before anything is changed, so a
// directory that fails part-way through changes nothing. ldapts: ldaps://, or ldap:// + StartTLS.
import fs from 'node:fs';
import type { Client, Entry } from 'ldapts';
import { AppError } from '../../../kernel/errors';
import { normaliseDn, type DirectorySettings } from './presets';

export interface DirectorySnapshot {
  people: Entry[];
  /** Normalised group DN → member DNs (normalised). */
  groupMembers: Map<string, string[]>;
}

const BINARY = ['objectGUID'];

function tlsOptions(s: DirectorySettings) {
  return s.caFile ? { ca: [fs.readFileSync(s.caFile)] } : undefined;
}

export async function openDirectory(s: DirectorySettings): Promise<Client> {
  // Loaded when a directory is first read, not at every start.
  const { Client: LdapClient } = await import('ldapts');
  return new LdapClient({ url: s.url, timeout: s.timeoutMs, connectTimeout: s.timeoutMs, tlsOptions: tlsOptions(s), strictDN: false });
}

/** Directory errors in one sentence (never the password). */
export function directoryError(err: unknown, s: DirectorySettings): AppError {
  const e = err as { code?: number | string; name?: string; message?: string };
  const text = String(e?.message ?? err);
  if (e?.name === 'InvalidCredentialsError' || e?.code === 49) return new AppError('directory_bind', `The directory refused the bind as "${s.bindDn ?? '(anonymous)'}": wrong LDAP_BIND_DN or LDAP_BIND_PASSWORD. Nothing was changed.`, 502);
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|timeout|Timeout|ETIMEDOUT|socket/i.test(text)) return new AppError('directory_unavailable', `The directory at ${s.url} cannot be reached (${text.replace(/\s+/g, ' ').slice(0, 200)}). Nothing was changed.`, 502);
  return new AppError('directory_failed', `The directory at ${s.url} answered with an error (${e?.name ?? 'error'}: ${text.replace(/\s+/g, ' ').slice(0, 200)}). Nothing was changed.`, 502);
}

export async function readDirectory(s: DirectorySettings): Promise<DirectorySnapshot> {
  if (!s.baseDn) throw new AppError('directory_config', 'LDAP_BASE_DN is not set: say where people are searched, e.g. ou=people,dc=example,dc=org.');
  const client = await openDirectory(s);
  try {
    if (s.startTls) await client.startTLS(tlsOptions(s) ?? {});
    if (s.bindDn) await client.bind(s.bindDn, s.bindPassword ?? '');
    const attributes = [...new Set(Object.values(s.attributes))];
    const { searchEntries } = await client.search(s.baseDn, { scope: 'sub', filter: s.filter, attributes, paged: { pageSize: 500 }, explicitBufferAttributes: BINARY });
    const groupMembers = new Map<string, string[]>();
    for (const dn of s.groups.keys()) {
      const { searchEntries: found } = await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: ['member', 'uniqueMember'] }).catch((err) => {
        // A mapped group that does not exist is a settings mistake: say which.
        if ((err as { name?: string }).name === 'NoSuchObjectError') throw new AppError('directory_config', `The group "${dn}" in LDAP_GROUP_MAP does not exist in the directory. Nothing was changed.`);
        throw err;
      });
      const g = found[0] ?? {};
      groupMembers.set(dn, [g.member, g.uniqueMember].flat().filter((v): v is string => typeof v === 'string').map(normaliseDn));
    }
    return { people: searchEntries, groupMembers };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw directoryError(err, s);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
