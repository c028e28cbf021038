// Invitations: an account made without a password (CLI `user create --invite`, the admin form,
// CSV import, SCIM, directory sync) gets a single-use "set your password" link, valid
// MAIL_INVITATION_HOURS. With SMTP configured it is mailed to the account's address; without,
// it is returned once so the CLI or the admin page can show it (it is stored only as a digest).
import type { UserDoc } from '../../db/schema';
import { AppError } from '../../kernel/errors';
import type { Services } from '../services';
import { invitationMessage } from '../mail/messages';
import { organizationLabel } from '../../kernel/brand';
import { setPasswordUrl } from './links';
import { mailLanguage } from '../mail/language';

export interface InviteResult {
  /** The one-time link, only when it was not mailed (no SMTP, or an address that cannot be mailed). */
  link?: string;
  /** True when the invitation mail is queued for sending. */
  queued: boolean;
  expiresAt: Date;
}

/**
 * Makes a new invitation link (in the account's language, else DEFAULT_LANGUAGE) for `user` (earlier ones stop working) and mails it, or returns it.
 * `by` names who asked, for the audit log: an admin's username, 'cli', 'csv-import', 'scim:<name>'…
 * Refuses accounts that are deactivated or already have a password (they use "Forgot password?").
 */
export async function inviteUser(services: Services, user: Pick<UserDoc, '_id' | 'username' | 'email' | 'name' | 'active' | 'passwordHash'> & Partial<Pick<UserDoc, 'employmentStatus' | 'language'>>, opts: { by: string }): Promise<InviteResult> {
  const { config, accountLinks, mail, audit } = services;
  if (!user.active || user.employmentStatus === 'left') throw new AppError('inactive_user', `${user.username} is deactivated: activate the account before inviting it.`, 409);
  if (user.passwordHash) throw new AppError('has_password', `${user.username} already has a password; they can use "Forgot password?" on the sign-in page, or an administrator can set one.`, 409);
  const ttlSeconds = config.MAIL_INVITATION_HOURS * 3600;
  const { token, expiresAt } = await accountLinks.create({ userId: user._id, purpose: 'invitation', passwordHash: undefined, ttlSeconds, createdBy: opts.by });
  const url = setPasswordUrl(config.issuer, token);
  // Always someone else's doing (an admin, the CLI, an import): the account's language, else DEFAULT_LANGUAGE.
  const message = invitationMessage(user, { product: config.PRODUCT_NAME, organization: organizationLabel(config), url, expiresAt, ttlSeconds, lang: mailLanguage(config, user) });
  const queued = await mail.queue({ name: user.name, email: user.email }, message, { userId: user._id });
  await audit.record(opts.by, 'user.invite', user.username, { mailed: queued.queued, expiresAt: expiresAt.toISOString(), ...(queued.queued ? {} : { reason: queued.reason }) });
  return queued.queued ? { queued: true, expiresAt } : { queued: false, link: url, expiresAt };
}

/** Accounts still waiting for their first password (active, no password): for `user invite-links`. */
export function awaitingPassword(user: Pick<UserDoc, 'active' | 'passwordHash'> & Partial<Pick<UserDoc, 'employmentStatus'>>): boolean {
  return user.active && !user.passwordHash && user.employmentStatus !== 'left';
}
