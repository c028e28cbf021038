// The admin users/people/tokens pages' own words in the reader's language: the notices shown
// after a redirect (`?notice=code`), the "not found" page, and the domain errors (AppError codes)
// that have one fixed message. Every key is written out literally so that the catalogue test
// sees it; a code not listed here keeps its English message.
import type { Request, Response } from 'express';
import { AppError } from '../../../kernel/errors';
import type { Translate } from '../../../kernel/i18n/translator';
import { errorMessage, noticeFrom } from '../../kit/pages';
import { tr } from '../../middleware/language';

const NOTICES: Record<string, (t: Translate) => string> = {
  'user-created': (t) => t('admin-users:notices.userCreated'),
  'user-saved': (t) => t('admin-users:notices.saved'),
  'password-reset': (t) => t('admin-users:notices.passwordReset'),
  'invitation-sent': (t) => t('admin-users:notices.invitationSent'),
  'user-deactivated': (t) => t('admin-users:notices.deactivated'),
  'user-activated': (t) => t('admin-users:notices.activated'),
  'employment-saved': (t) => t('admin-users:notices.employmentSaved'),
  'user-left': (t) => t('admin-users:notices.left'),
  'two-factor-reset': (t) => t('admin-users:notices.twoFactorReset'),
  'two-factor-was-off': (t) => t('admin-users:notices.twoFactorWasOff'),
  'tokens-revoked': (t) => t('admin-tokens:revoked'),
  'scim-revoked': (t) => t('admin-people:scim.revokedNotice'),
};

/** The `?notice=` message in the page's language (kit/pages.ts NOTICES in English for the others). */
export function adminNotice(req: Request, res: Response): string | undefined {
  const code = typeof req.query.notice === 'string' ? req.query.notice : '';
  return Object.hasOwn(NOTICES, code) ? NOTICES[code](tr(res)) : noticeFrom(req);
}

/** 404 for a user id that does not exist (kit/pages.ts notFound, translated). */
export function userNotFound(res: Response, backHref = '/admin/users/') {
  const t = tr(res);
  res.status(404).render('error.njk', { title: t('admin-users:notFound.title'), message: t('admin-users:notFound.message'), backHref, backText: t('admin-users:notFound.back') });
}

type Values = Record<string, string | number | undefined>;

/**
 * Domain errors with one fixed message, by code. `values` carries what the English message names
 * (the username or email typed in the form).
 */
const ERRORS: Record<string, { needs?: string; text: (t: Translate, v: Values) => string }> = {
  duplicate_username: { needs: 'username', text: (t, v) => t('admin-users:errors.duplicateUsername', { username: v.username }) },
  duplicate_email: { needs: 'email', text: (t, v) => t('admin-users:errors.duplicateEmail', { email: v.email }) },
  inactive_user: { needs: 'username', text: (t, v) => t('admin-users:errors.inactiveUser', { username: v.username }) },
  has_password: { needs: 'username', text: (t, v) => t('admin-users:errors.hasPassword', { username: v.username }) },
  csv_encoding: { text: (t) => t('admin-people:errors.csvEncoding') },
  csv_empty: { text: (t) => t('admin-people:errors.csvEmpty') },
  invalid_name: { text: (t) => t('admin-people:errors.scimInvalidName') },
  duplicate_name: { needs: 'name', text: (t, v) => t('admin-people:errors.scimDuplicateName', { name: v.name }) },
  unknown_connection: { needs: 'name', text: (t, v) => t('admin-people:errors.scimUnknown', { name: v.name }) },
  directory_busy: { text: (t) => t('admin-people:errors.directoryBusy') },
};

/** An AppError's message in the page's language where its code has a translation; else English. */
export function translatedError(res: Response, err: unknown, values: Values = {}): string | undefined {
  const message = errorMessage(err);
  if (!message || !(err instanceof AppError) || !Object.hasOwn(ERRORS, err.code)) return message;
  const known = ERRORS[err.code];
  // A value the message names but the form did not give: keep the English message (it names it).
  if (known.needs && !values[known.needs]) return message;
  return known.text(tr(res), values);
}
