// What each mail says, as data: one subject, paragraphs, at most one button (an absolute link on
// ISSUER) and a closing line. render.ts turns a message into the plain-text and HTML parts, so the
// wording lives here once and both parts always say the same.
import type { MailKind } from '../../db/mail-schema';
import { safeDisplayName } from './address';

export interface MailMessage {
  kind: MailKind;
  subject: string;
  /** "Hello Ada Lovelace," */
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** After the button: expiry, "if this wasn't you". */
  after: string[];
}

export interface Recipient {
  name: string;
  username: string;
}

/** "Hello Ada Lovelace," — a name from an import or a directory may hold line breaks: never in a mail. */
const hello = (to: Recipient) => `Hello ${safeDisplayName(to.name) ?? to.username},`;

const when = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

function hours(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

export function invitationMessage(to: Recipient, o: { product: string; organization?: string; url: string; expiresAt: Date; ttlSeconds: number }): MailMessage {
  return {
    kind: 'invitation',
    subject: `Set your password for ${o.product}`,
    greeting: hello(to),
    paragraphs: [
      `An account was created for you${o.organization ? ` at ${o.organization}` : ''}. Your username is ${to.username}.`,
      'Choose your password with the button below; then you can sign in.',
    ],
    action: { label: 'Set your password', url: o.url },
    after: [`The link works once and expires in ${hours(o.ttlSeconds)} (${when(o.expiresAt)}). If it has expired, ask an administrator to send a new one.`, 'If you did not expect this mail, you can ignore it.'],
  };
}

export function passwordResetMessage(to: Recipient, o: { product: string; url: string; expiresAt: Date; ttlSeconds: number }): MailMessage {
  return {
    kind: 'password_reset',
    subject: `Reset your ${o.product} password`,
    greeting: hello(to),
    paragraphs: [`Someone — hopefully you — asked to reset the password of the account ${to.username}.`, 'Choose a new password with the button below.'],
    action: { label: 'Choose a new password', url: o.url },
    after: [`The link works once and expires in ${hours(o.ttlSeconds)} (${when(o.expiresAt)}).`, 'If you did not ask for this, ignore this mail: your password stays as it is.'],
  };
}

export type NoticeKind = 'password_changed' | 'two_factor_enabled' | 'two_factor_disabled' | 'recovery_code_used' | 'two_factor_locked';

export interface NoticeDetails {
  at: Date;
  /** password_changed: 'you' | 'reset' | 'invitation' | 'admin'; two_factor_disabled: 'you' | 'admin'. */
  by?: string;
  recoveryCodesLeft?: number;
  lockedUntil?: Date;
  /** password_changed: the account's other sessions and tokens were ended with it. */
  othersSignedOut?: boolean;
}

const NOT_YOU = 'If this was not you, change your password now and tell your administrators';

export function noticeMessage(kind: NoticeKind, to: Recipient, o: { product: string; issuer: string; help: string }, d: NoticeDetails): MailMessage {
  const base = { greeting: hello(to), after: [] as string[] };
  const security = `${o.issuer}/accounts/security/`;
  switch (kind) {
    case 'password_changed': {
      const how = d.by === 'admin' ? ' by an administrator' : d.by === 'reset' ? ' with a password-reset link' : '';
      return {
        ...base,
        kind: 'notice_password_changed',
        subject: `Your ${o.product} password was changed`,
        paragraphs: [`The password of your account ${to.username} was changed${how} on ${when(d.at)}.${d.othersSignedOut ? ' Your other sessions were signed out.' : ''}`],
        action: { label: 'Review your account', url: security },
        after: [`${NOT_YOU} (${o.help}).`],
      };
    }
    case 'two_factor_enabled':
      return {
        ...base,
        kind: 'notice_two_factor_enabled',
        subject: `Two-factor sign-in was turned on for ${to.username}`,
        paragraphs: [`Two-factor sign-in was set up for your account ${to.username} on ${when(d.at)}. From now on, signing in asks for a code from the authenticator app.`],
        action: { label: 'Review your account', url: security },
        after: [`${NOT_YOU} (${o.help}): someone else's authenticator may now be linked to your account.`],
      };
    case 'two_factor_disabled':
      return {
        ...base,
        kind: 'notice_two_factor_disabled',
        subject: `Two-factor sign-in was turned off for ${to.username}`,
        paragraphs: [
          d.by === 'admin'
            ? `An administrator reset two-factor sign-in for your account ${to.username} on ${when(d.at)}. Signing in now needs only your password until you set it up again.`
            : `Two-factor sign-in was turned off for your account ${to.username} on ${when(d.at)}.`,
        ],
        action: { label: 'Set up two-factor sign-in', url: `${o.issuer}/accounts/two-factor/` },
        after: [`${NOT_YOU} (${o.help}).`],
      };
    case 'recovery_code_used':
      return {
        ...base,
        kind: 'notice_recovery_code_used',
        subject: `A recovery code was used to sign in as ${to.username}`,
        paragraphs: [`Someone signed in to your account ${to.username} with a recovery code on ${when(d.at)}. ${d.recoveryCodesLeft ?? 0} recovery code(s) are left.`],
        action: { label: 'Review your account', url: security },
        after: [`${NOT_YOU} (${o.help}).`],
      };
    case 'two_factor_locked':
      return {
        ...base,
        kind: 'notice_two_factor_locked',
        subject: `Too many wrong sign-in codes for ${to.username}`,
        paragraphs: [
          `Too many wrong two-factor codes were entered for your account ${to.username} after a correct password (last at ${when(d.at)}). New codes from unknown browsers are refused until ${when(d.lockedUntil ?? d.at)}; your own browsers where you signed in before are not affected.`,
          'Someone else may know your password.',
        ],
        action: { label: 'Change your password', url: `${o.issuer}/accounts/password/` },
        after: [`If this was not you, change your password and tell your administrators (${o.help}).`],
      };
  }
}

export function testMessage(o: { product: string; description: string }): MailMessage {
  return {
    kind: 'test',
    subject: `${o.product}: test mail`,
    greeting: 'Hello,',
    paragraphs: [`This is a test mail sent with \`hrm-sso mail test\` through ${o.description}. If you read this, invitations and password resets will arrive too.`],
    after: [],
  };
}
