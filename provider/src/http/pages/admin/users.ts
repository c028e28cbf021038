// /admin/users/ — create HRM accounts, edit profile fields, reset passwords, deactivate.
import { Router, type Request, type Response } from 'express';
import type { UserDoc } from '../../../db/schema';
import { AppError } from '../../../kernel/errors';
import { endUserAccess } from '../../../store/user-access';
import { inviteUser } from '../../../domain/accounts/invitations';
import { sendNotice } from '../../../domain/accounts/notices';
import { requireCsrf } from '../../middleware/csrf';
import { audit, checkbox, completeSubmission, field, me, newFormNonce, once, releaseSubmission, type PageDeps } from '../../kit/pages';
import { normaliseUsername } from '../../../store/users';
import { tr } from '../../middleware/language';
import { adminNotice, translatedError, userNotFound } from './admin-text';

const PROFILE_FIELDS = ['email', 'name', 'givenName', 'familyName', 'department', 'jobTitle'] as const;
const FORM_NAMES: Record<(typeof PROFILE_FIELDS)[number], string> = { email: 'email', name: 'name', givenName: 'given_name', familyName: 'family_name', department: 'department', jobTitle: 'job_title' };

function profileValues(req: Request) {
  return Object.fromEntries(PROFILE_FIELDS.map((k) => [k, field(req, FORM_NAMES[k], 300)])) as Record<(typeof PROFILE_FIELDS)[number], string>;
}

export function userRoutes(deps: PageDeps) {
  const router = Router();
  const { users, tokens, db } = deps.services;

  /** Checked before the update: FerretDB reports a unique-index violation in findAndModify without code 11000. */
  async function assertEmailFree(email: string, ownId: string) {
    const normalized = email.trim().toLowerCase();
    if (!normalized) return;
    if (await users.emailTakenByOther(normalized, ownId)) throw new AppError('duplicate_email', `A user with email "${normalized}" already exists.`, 409);
  }

  async function byId(req: Request): Promise<UserDoc | null> {
    const id = req.params.id;
    return typeof id === 'string' && id.length <= 100 ? users.byId(id) : null;
  }

  async function renderEdit(res: Response, user: UserDoc, extra: Record<string, unknown> = {}, status = 200) {
    const activeTokens = await tokens.countLive('access_tokens', { userId: user._id }, { now: new Date() });
    res.status(status).render('admin/user-edit.njk', {
      section: 'users',
      user,
      isSelf: user._id === me(res)._id,
      values: { email: user.email, name: user.name, givenName: user.givenName ?? '', familyName: user.familyName ?? '', department: user.department ?? '', jobTitle: user.jobTitle ?? '', admin: user.admin },
      activeTokens,
      passkeyCount: await deps.services.passkeys.store.count(user._id),
      once: res.locals.once ?? newFormNonce(),
      mailConfigured: deps.services.mail.configured,
      ...extra,
    });
  }

  router.get('/users/', async (req: Request, res: Response) => {
    res.render('admin/users.njk', { section: 'users', users: await users.list(), notice: adminNotice(req, res) });
  });

  router.get('/users/new', (_req: Request, res: Response) => {
    res.render('admin/user-new.njk', { section: 'users', values: {}, mailConfigured: deps.services.mail.configured });
  });

  router.post('/users/', requireCsrf, once(db, '/admin/users/'), async (req: Request, res: Response) => {
    const values = { username: field(req, 'username', 100), ...profileValues(req), admin: checkbox(req, 'admin'), invite: checkbox(req, 'invite') };
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const t = tr(res);
    try {
      if (values.invite && password) throw new AppError('invalid_password', t('admin-users:errors.inviteOrPassword'));
      if (!values.invite && password.length < 8) throw new AppError('invalid_password', t('admin-users:errors.initialPasswordShort'));
      const user = await users.create({
        username: values.username,
        email: values.email,
        name: values.name,
        givenName: values.givenName || undefined,
        familyName: values.familyName || undefined,
        department: values.department || undefined,
        jobTitle: values.jobTitle || undefined,
        password: values.invite ? undefined : password,
        admin: values.admin,
      });
      await audit(deps, res, 'user.create', `user:${user.username}`, { userId: user._id, email: user.email, admin: user.admin, invited: values.invite });
      await completeSubmission(db, res.locals.submissionKey!, `/admin/users/${user._id}/`, `Go to ${user.username}`);
      if (values.invite) {
        const invite = await inviteUser(deps.services, user, { by: me(res).username });
        // A link that was not mailed is shown on this answer only (never in a URL or the database).
        if (invite.link) return renderEdit(res, user, { notice: t('admin-users:notices.userCreated'), inviteLink: invite.link, inviteExpires: invite.expiresAt });
        return res.redirect(303, `/admin/users/${encodeURIComponent(user._id)}/?notice=invitation-sent`);
      }
      res.redirect(303, `/admin/users/${encodeURIComponent(user._id)}/?notice=user-created`);
    } catch (err) {
      await releaseSubmission(db, res.locals.submissionKey!);
      const message = translatedError(res, err, { username: normaliseUsername(values.username), email: values.email.trim().toLowerCase() });
      if (!message) throw err;
      res.status(400).render('admin/user-new.njk', { section: 'users', values, error: message, mailConfigured: deps.services.mail.configured });
    }
  });

  router.get('/users/:id/', async (req: Request, res: Response) => {
    const user = await byId(req);
    if (!user) return userNotFound(res);
    await renderEdit(res, user, { notice: adminNotice(req, res) });
  });

  router.post('/users/:id/', requireCsrf, async (req: Request, res: Response) => {
    const user = await byId(req);
    if (!user) return userNotFound(res);
    const values = { ...profileValues(req), admin: checkbox(req, 'admin') };
    const isSelf = user._id === me(res)._id;
    try {
      if (isSelf && !values.admin) throw new AppError('self_demotion', tr(res)('admin-users:errors.selfDemotion'));
      await assertEmailFree(values.email, user._id);
      const updated = await users.update(user._id, {
        email: values.email,
        name: values.name,
        givenName: values.givenName,
        familyName: values.familyName,
        department: values.department,
        jobTitle: values.jobTitle,
        admin: values.admin,
      });
      const changed = ([...PROFILE_FIELDS, 'admin'] as const).filter((k) => (user[k] ?? '') !== (updated[k] ?? ''));
      await audit(deps, res, 'user.update', `user:${user.username}`, Object.fromEntries(changed.map((k) => [k, updated[k]])));
      res.redirect(303, `/admin/users/${encodeURIComponent(user._id)}/?notice=user-saved`);
    } catch (err) {
      const message = translatedError(res, err, { email: values.email.trim().toLowerCase() });
      if (!message) throw err;
      await renderEdit(res, user, { values, error: message }, 400);
    }
  });

  router.post('/users/:id/password', requireCsrf, async (req: Request, res: Response) => {
    const user = await byId(req);
    if (!user) return userNotFound(res);
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const confirm = typeof req.body?.password_confirm === 'string' ? req.body.password_confirm : '';
    try {
      if (password !== confirm) throw new AppError('invalid_password', tr(res)('admin-users:errors.passwordsDiffer'));
      if (password.length < 8) throw new AppError('invalid_password', tr(res)('admin-users:errors.passwordShort'));
      await users.setPassword(user.username, password);
      const { tokensRevoked } = await endUserAccess(deps.services.db, tokens, user._id);
      await audit(deps, res, 'user.reset_password', `user:${user.username}`, { userId: user._id, tokensRevoked });
      await deps.services.twoFactorLockouts.clear(user._id);
      await sendNotice(deps.services, user, 'password_changed', { by: 'admin', othersSignedOut: true }, deps.log);
      res.redirect(303, `/admin/users/${encodeURIComponent(user._id)}/?notice=password-reset`);
    } catch (err) {
      const message = translatedError(res, err);
      if (!message) throw err;
      await renderEdit(res, user, { passwordError: message }, 400);
    }
  });

  router.post('/users/:id/invite', requireCsrf, async (req: Request, res: Response) => {
    const user = await byId(req);
    if (!user) return userNotFound(res);
    try {
      const invite = await inviteUser(deps.services, user, { by: me(res).username });
      if (invite.link) return renderEdit(res, user, { inviteLink: invite.link, inviteExpires: invite.expiresAt });
      res.redirect(303, `/admin/users/${encodeURIComponent(user._id)}/?notice=invitation-sent`);
    } catch (err) {
      const message = translatedError(res, err, { username: user.username });
      if (!message) throw err;
      await renderEdit(res, user, { inviteError: message }, 409);
    }
  });

  router.post('/users/:id/active', requireCsrf, async (req: Request, res: Response) => {
    const user = await byId(req);
    if (!user) return userNotFound(res);
    const active = field(req, 'active', 10) === 'true';
    if (!active && user._id === me(res)._id) {
      return renderEdit(res, user, { error: tr(res)('admin-users:errors.selfDeactivate') }, 400);
    }
    if (user.active !== active) {
      await users.setActive(user.username, active);
      const revoked = active ? 0 : (await endUserAccess(deps.services.db, tokens, user._id)).tokensRevoked;
      await audit(deps, res, active ? 'user.activate' : 'user.deactivate', `user:${user.username}`, active ? { userId: user._id } : { userId: user._id, tokensRevoked: revoked });
    }
    res.redirect(303, `/admin/users/${encodeURIComponent(user._id)}/?notice=${active ? 'user-activated' : 'user-deactivated'}`);
  });

  router.post('/users/:id/revoke-tokens', requireCsrf, async (req: Request, res: Response) => {
    const user = await byId(req);
    if (!user) return userNotFound(res);
    const revoked = await tokens.revokeForUser(user._id);
    await audit(deps, res, 'tokens.revoke_user', `user:${user.username}`, { userId: user._id, tokensRevoked: revoked });
    const back = field(req, 'back', 20) === 'tokens' ? '/admin/tokens/?notice=tokens-revoked' : `/admin/users/${encodeURIComponent(user._id)}/?notice=tokens-revoked`;
    res.redirect(303, back);
  });

  return router;
}
