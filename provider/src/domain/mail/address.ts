// Addresses and display names that go into mail headers. Values come from accounts (names typed by
// administrators, CSV files, SCIM, directories), so a CR/LF or other control character must never
// reach a header: addresses that hold one are refused, names lose them. nodemailer then encodes
// names (RFC 2047) and IDN domains (punycode) itself.
import addressparser from 'nodemailer/lib/addressparser';
import { AppError } from '../../kernel/errors';

export interface Mailbox {
  name?: string;
  address: string;
}

// Control characters, line/paragraph separators and bidi/format characters.
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
// One @, no spaces, quotes, angle brackets, commas or semicolons (no second recipient can hide in it).
const ADDRESS = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]{1,253}$/u;

/** The address if it is one plain mailbox (Unicode allowed), else undefined. */
export function safeAddress(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const address = raw.trim();
  if (address.length > 254 || CONTROL.test(address) || !ADDRESS.test(address)) return undefined;
  const domain = address.slice(address.lastIndexOf('@') + 1);
  if (!domain.includes('.') || domain.startsWith('.') || domain.endsWith('.') || domain.includes('..')) return undefined;
  return address;
}

/** A display name fit for a header: control characters become spaces, runs of space collapse, at most 100 characters. */
export function safeDisplayName(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const name = raw.replace(new RegExp(CONTROL.source, 'gu'), ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
  return name || undefined;
}

/** A recipient built from an account: undefined when its address cannot be mailed safely. */
export function recipient(name: unknown, address: unknown): Mailbox | undefined {
  const a = safeAddress(address);
  return a ? { name: safeDisplayName(name), address: a } : undefined;
}

/** Parses "Name <address>" or "address" from a setting; exactly one mailbox. */
export function parseMailbox(value: string, setting: string): Mailbox {
  const parsed = CONTROL.test(value) ? [] : addressparser(value, { flatten: true });
  const address = parsed.length === 1 ? safeAddress(parsed[0].address) : undefined;
  if (!address) throw new AppError('mail_config', `${setting} must be one address such as "Sign-in <sso@example.com>".`);
  return { name: safeDisplayName(parsed[0].name), address };
}
