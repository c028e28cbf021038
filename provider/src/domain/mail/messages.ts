// What each mail says, as data: one subject, paragraphs, at most one button (an absolute link on
// ISSUER) and a closing line. render.ts turns a message into the plain-text and HTML parts, so the
// wording lives here once and both parts always say the same. The words come from the `mail`
// catalogue (provider/src/locales/<lang>/mail.json) in the recipient's language (language.ts
// chooses it); dates and durations follow that language too.
import type { MailKind } from '../../db/mail-schema';
import { formatDateTime } from '../../kernel/i18n/format';
import { getTranslator, type Translate } from '../../kernel/i18n/translator';
import { safeDisplayName } from './address';

export interface MailMessage {
  kind: MailKind;
  /** The language the mail is written in (a shipped language code). */
  lang: string;
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

const translate = (lang: string): Translate => getTranslator().forLanguage(lang);

/** "Hello Ada Lovelace," — a name from an import or a directory may hold line breaks: never in a mail. */
const hello = (t: Translate, to: Recipient) => t('mail:greeting', { name: safeDisplayName(to.name) ?? to.username });

/** "72 hours", "30 minutes" in the mail's language. */
function duration(t: Translate, seconds: number): string {
  if (seconds % 3600 === 0) return t('mail:duration.hours', { count: seconds / 3600 });
  return t('mail:duration.minutes', { count: Math.round(seconds / 60) });
}

export function invitationMessage(to: Recipient, o: { product: string; organization?: string; url: string; expiresAt: Date; ttlSeconds: number; lang?: string }): MailMessage {
  const lang = o.lang ?? 'en';
  const t = translate(lang);
  return {
    kind: 'invitation',
    lang,
    subject: t('mail:invitation.subject', { product: o.product }),
    greeting: hello(t, to),
    paragraphs: [
      o.organization ? t('mail:invitation.createdAt', { organization: o.organization, username: to.username }) : t('mail:invitation.created', { username: to.username }),
      t('mail:invitation.choose'),
    ],
    action: { label: t('mail:invitation.action'), url: o.url },
    after: [t('mail:invitation.expires', { duration: duration(t, o.ttlSeconds), date: formatDateTime(o.expiresAt, lang) }), t('mail:invitation.unexpected')],
  };
}

export function passwordResetMessage(to: Recipient, o: { product: string; url: string; expiresAt: Date; ttlSeconds: number; lang?: string }): MailMessage {
  const lang = o.lang ?? 'en';
  const t = translate(lang);
  return {
    kind: 'password_reset',
    lang,
    subject: t('mail:passwordReset.subject', { product: o.product }),
    greeting: hello(t, to),
    paragraphs: [t('mail:passwordReset.asked', { username: to.username }), t('mail:passwordReset.choose')],
    action: { label: t('mail:passwordReset.action'), url: o.url },
    after: [t('mail:passwordReset.expires', { duration: duration(t, o.ttlSeconds), date: formatDateTime(o.expiresAt, lang) }), t('mail:passwordReset.notYou')],
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

/** Where people get help, as words for the mail: the support contact, else "your administrators". */
export function helpWords(t: Translate, supportContact: string | undefined): string {
  return supportContact ?? t('mail:layout.yourAdministrators');
}

/** `o.help`: the support contact (SUPPORT_CONTACT); without one the mail says "your administrators". */
export function noticeMessage(kind: NoticeKind, to: Recipient, o: { product: string; issuer: string; help?: string; lang?: string }, d: NoticeDetails): MailMessage {
  const lang = o.lang ?? 'en';
  const t = translate(lang);
  const when = (date: Date) => formatDateTime(date, lang);
  const help = helpWords(t, o.help);
  const notYou = t('mail:notice.notYou', { help });
  const base = { lang, greeting: hello(t, to), after: [] as string[] };
  const security = `${o.issuer}/accounts/security/`;
  const review = { label: t('mail:notice.review'), url: security };
  const v = { username: to.username, product: o.product, date: when(d.at) };
  switch (kind) {
    case 'password_changed': {
      const changed =
        d.by === 'admin' ? t('mail:notice.passwordChanged.byAdmin', v) : d.by === 'reset' ? t('mail:notice.passwordChanged.byReset', v) : t('mail:notice.passwordChanged.body', v);
      return {
        ...base,
        kind: 'notice_password_changed',
        subject: t('mail:notice.passwordChanged.subject', v),
        paragraphs: [d.othersSignedOut ? `${changed} ${t('mail:notice.passwordChanged.othersSignedOut')}` : changed],
        action: review,
        after: [notYou],
      };
    }
    case 'two_factor_enabled':
      return {
        ...base,
        kind: 'notice_two_factor_enabled',
        subject: t('mail:notice.twoFactorEnabled.subject', v),
        paragraphs: [t('mail:notice.twoFactorEnabled.body', v)],
        action: review,
        after: [t('mail:notice.twoFactorEnabled.notYou', { help })],
      };
    case 'two_factor_disabled':
      return {
        ...base,
        kind: 'notice_two_factor_disabled',
        subject: t('mail:notice.twoFactorDisabled.subject', v),
        paragraphs: [d.by === 'admin' ? t('mail:notice.twoFactorDisabled.byAdmin', v) : t('mail:notice.twoFactorDisabled.body', v)],
        action: { label: t('mail:notice.twoFactorDisabled.action'), url: `${o.issuer}/accounts/two-factor/` },
        after: [notYou],
      };
    case 'recovery_code_used':
      return {
        ...base,
        kind: 'notice_recovery_code_used',
        subject: t('mail:notice.recoveryCodeUsed.subject', v),
        paragraphs: [`${t('mail:notice.recoveryCodeUsed.body', v)} ${t('mail:notice.recoveryCodeUsed.left', { count: d.recoveryCodesLeft ?? 0 })}`],
        action: review,
        after: [notYou],
      };
    case 'two_factor_locked':
      return {
        ...base,
        kind: 'notice_two_factor_locked',
        subject: t('mail:notice.twoFactorLocked.subject', v),
        paragraphs: [t('mail:notice.twoFactorLocked.body', { ...v, until: when(d.lockedUntil ?? d.at) }), t('mail:notice.twoFactorLocked.passwordKnown')],
        action: { label: t('mail:notice.twoFactorLocked.action'), url: `${o.issuer}/accounts/password/` },
        after: [t('mail:notice.twoFactorLocked.notYou', { help })],
      };
  }
}

export function testMessage(o: { product: string; description: string; lang?: string }): MailMessage {
  const lang = o.lang ?? 'en';
  const t = translate(lang);
  return {
    kind: 'test',
    lang,
    subject: t('mail:test.subject', { product: o.product }),
    greeting: t('mail:test.greeting'),
    paragraphs: [t('mail:test.body', { description: o.description })],
    after: [],
  };
}
