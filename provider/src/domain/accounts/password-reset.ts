// "Forgot password?" and the one-time link page behind invitations and resets.
//
// requestPasswordReset answers nothing about the account: the page shows one sentence whatever
// was typed, and the lookup and mail happen after the answer (so the time taken does not tell
// either). Only an active account with a mailable address gets a link (MAIL_RESET_MINUTES, single
// use, stored hashed, bound to the current password hash).
//
// setPasswordWithLink is the page's POST for both kinds of link: same strength rules as a
// password change; a reset ends every session and token of the account (as an administrator's
// reset does) and keeps two-factor on; every other link of the account stops working.
import type { UserDoc } from '../../db/schema';
import type { Logger } from '../../kernel/log';
import { passwordStrength, SCORE_LABELS } from '../../kernel/security/password-strength';
import { endUserAccess } from '../../store/user-access';
import type { AccountLinkDoc } from '../../store/account-links';
import type { SlotLimiter } from '../../store/rate-limits';
import type { Services } from '../services';
import { passwordResetMessage } from '../mail/messages';
import { setPasswordUrl } from './links';
import { sendNotice } from './notices';
import { mailLanguage } from '../mail/language';

/** Finds the account a person typed into "Forgot password?": username or e-mail address. */
async function findAccount(services: Services, typed: string): Promise<UserDoc | null> {
  const value = typed.trim();
  if (!value || value.length > 254) return null;
  return value.includes('@') ? services.users.byEmail(value) : services.users.byUsername(value);
}

export function mayReceiveMail(user: Pick<UserDoc, 'active'> & Partial<Pick<UserDoc, 'employmentStatus'>>): boolean {
  return user.active && user.employmentStatus !== 'left';
}

/**
 * Looks the account up and queues the reset mail; never throws (errors are logged). `perAccount`
 * caps the mails one account gets per window, however its name is typed (username or address).
 * `lang`: the language of the page the request came from (res.locals.lang); the mail is in the
 * account's language, else this one, else DEFAULT_LANGUAGE.
 */
export async function requestPasswordReset(services: Services, typed: string, ctx: { log: Logger; ip?: string; perAccount?: Pick<SlotLimiter, 'take'>; lang?: string }): Promise<void> {
  try {
    const user = await findAccount(services, typed);
    if (!user || !mayReceiveMail(user)) {
      ctx.log.info({ event: 'password_reset_requested', found: false, ip: ctx.ip }, 'password reset asked for an unknown or inactive account: no mail');
      return;
    }
    if (ctx.perAccount && !(await ctx.perAccount.take(user._id)).allowed) {
      ctx.log.warn({ event: 'password_reset_rate_limited', limitedBy: 'account', userId: user._id, ip: ctx.ip }, 'too many password reset mails for one account: none sent');
      return;
    }
    const { config, accountLinks, mail } = services;
    const ttlSeconds = config.MAIL_RESET_MINUTES * 60;
    const { token, expiresAt } = await accountLinks.create({ userId: user._id, purpose: 'password_reset', passwordHash: user.passwordHash, ttlSeconds, createdBy: user.username });
    const message = passwordResetMessage(user, { product: config.PRODUCT_NAME, url: setPasswordUrl(config.issuer, token), expiresAt, ttlSeconds, lang: mailLanguage(config, user, ctx.lang) });
    const queued = await mail.queue({ name: user.name, email: user.email }, message, { userId: user._id, log: ctx.log });
    ctx.log.info({ event: 'password_reset_requested', found: true, userId: user._id, queued: queued.queued, ip: ctx.ip }, 'password reset link queued');
  } catch (err) {
    ctx.log.error({ event: 'password_reset_failed', err: String(err) }, 'password reset request could not be handled');
  }
}

export type LinkState =
  | { ok: true; link: AccountLinkDoc; user: UserDoc }
  | { ok: false; reason: 'unknown' | 'expired' | 'stale' };

/** Whether a link from a mail can still be used, and for whom. */
export async function openLink(services: Services, token: unknown): Promise<LinkState> {
  let user: UserDoc | null = null;
  const check = await services.accountLinks.check(token, async (userId) => {
    user = await services.users.byId(userId);
    return user && mayReceiveMail(user) ? { passwordHash: user.passwordHash } : null;
  });
  if (!check.ok) return check;
  return { ok: true, link: check.link, user: user as unknown as UserDoc };
}

export type SetPasswordResult =
  | { ok: true; user: UserDoc; purpose: AccountLinkDoc['purpose'] }
  | { ok: false; reason: 'unknown' | 'expired' | 'stale' | 'used' }
  | { ok: false; reason: 'mismatch' | 'missing' | 'too_long' }
  | { ok: false; reason: 'weak'; message: string; feedback: string[] };

/** `ctx.lang`: the page's language (res.locals.lang), for the "password changed" notice when the account has none. */
export async function setPasswordWithLink(services: Services, input: { token: unknown; password: string; confirm: string }, ctx: { log: Logger; lang?: string }): Promise<SetPasswordResult> {
  const state = await openLink(services, input.token);
  if (!state.ok) return state;
  const { user, link } = state;
  if (!input.password || !input.confirm) return { ok: false, reason: 'missing' };
  if (input.password.length > 1024) return { ok: false, reason: 'too_long' };
  if (input.password !== input.confirm) return { ok: false, reason: 'mismatch' };
  const { config } = services;
  const strength = passwordStrength(input.password, [user.username, user.name, user.email, ...user.email.split('@')]);
  if (input.password.length < 8 || strength.score < config.PASSWORD_MIN_SCORE) {
    const needed = SCORE_LABELS[config.PASSWORD_MIN_SCORE].toLowerCase();
    return { ok: false, reason: 'weak', message: `This password is too easy to guess (${strength.label.toLowerCase()}; at least “${needed}” is needed, and at least 8 characters). Nothing was changed.`, feedback: strength.feedback };
  }
  // Used up first: of two tabs submitting the same link, only one sets a password.
  if (!(await services.accountLinks.consume(link))) return { ok: false, reason: 'used' };
  await services.users.setPassword(user.username, input.password);
  await services.accountLinks.revokeFor(user._id);
  if (link.purpose === 'password_reset') {
    const { tokensRevoked } = await endUserAccess(services.db, services.tokens, user._id);
    await services.audit.record(user.username, 'password.reset', user.username, { by: 'mail_link', tokensRevoked });
    ctx.log.info({ event: 'password_reset', userId: user._id, tokensRevoked }, 'password reset with a mailed link; sessions and tokens ended');
    await services.twoFactorLockouts.clear(user._id);
    await sendNotice(services, user, 'password_changed', { by: 'reset', othersSignedOut: true }, ctx.log, ctx.lang);
  } else {
    await services.audit.record(user.username, 'user.invitation_accepted', user.username, { invitedBy: link.createdBy });
    ctx.log.info({ event: 'invitation_accepted', userId: user._id }, 'invited user set their first password');
  }
  return { ok: true, user, purpose: link.purpose };
}
