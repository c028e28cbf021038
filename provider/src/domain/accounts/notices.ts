// Security notices: short mails to the account's owner when something about their sign-in
// changes. Each kind can be switched off with MAIL_NOTICES. A notice never fails or slows the
// action that caused it: it is queued (domain/mail/mailer.ts) and errors are only logged.
import type { UserDoc } from '../../db/schema';
import type { Logger } from '../../kernel/log';
import type { Services } from '../services';
import { noticeMessage, type NoticeDetails, type NoticeKind } from '../mail/messages';
import { mailLanguage } from '../mail/language';

export const NOTICE_KINDS: readonly NoticeKind[] = ['password_changed', 'two_factor_enabled', 'two_factor_disabled', 'recovery_code_used', 'two_factor_locked'];

/** The notices MAIL_NOTICES switches on ("all", "none", or a comma-separated list of kinds). */
export function enabledNotices(setting: string): Set<NoticeKind> {
  const v = setting.trim().toLowerCase();
  if (v === 'all') return new Set(NOTICE_KINDS);
  if (v === 'none' || v === '') return new Set();
  return new Set(v.split(',').map((s) => s.trim()).filter((s): s is NoticeKind => (NOTICE_KINDS as readonly string[]).includes(s)));
}

/**
 * `pageLanguage`: pass res.locals.lang only when the account's owner caused the notice from a page
 * (their own password change, two-factor set-up, sign-in); the mail is in the account's language,
 * else that one, else DEFAULT_LANGUAGE. An administrator's page language never applies.
 */
export async function sendNotice(services: Services, user: Pick<UserDoc, '_id' | 'username' | 'name' | 'email' | 'active'> & Partial<Pick<UserDoc, 'employmentStatus' | 'language'>>, kind: NoticeKind, details: Partial<NoticeDetails>, log?: Logger, pageLanguage?: string): Promise<void> {
  const { config, mail, clock } = services;
  if (!mail.configured || !enabledNotices(config.MAIL_NOTICES).has(kind) || !user.active || user.employmentStatus === 'left') return;
  try {
    const message = noticeMessage(kind, user, { product: config.PRODUCT_NAME, issuer: config.issuer, help: config.SUPPORT_CONTACT, lang: mailLanguage(config, user, pageLanguage) }, { at: clock.now(), ...details });
    await mail.queue({ name: user.name, email: user.email }, message, { userId: user._id, log });
  } catch (err) {
    log?.error({ event: 'notice_failed', kind, userId: user._id, err: String(err) }, 'security notice could not be queued');
  }
}
