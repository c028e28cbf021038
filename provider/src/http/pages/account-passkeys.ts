// /accounts/passkeys/ — the user's own passkeys: the list (name, added, last used), adding one
// (public/passkeys.js runs the WebAuthn ceremony: options, then the authenticator's answer) and
// removing one. Under TWO_FACTOR_REQUIRED the last second factor cannot be removed here.
import { Router, type Request, type Response } from 'express';
import { requireCsrf, requireCsrfJson } from '../middleware/csrf';
import { me, requireSignedIn, type PageDeps } from '../kit/pages';
import { jsonBody, jsonError, jsonObject } from '../kit/json-body';
import { rememberChallenge, takeChallenge } from '../../domain/passkeys/challenge';
import { cleanPasskeyName, NAME_MAX, passkeyKind } from '../../domain/passkeys/service';
import { tr } from '../middleware/language';
import type { Translate } from '../../kernel/i18n/translator';
import { passkeyFailureText } from './passkey-texts';

export const PASSKEYS_PATH = '/accounts/passkeys/';

const NOTICES: Record<string, (t: Translate) => string> = {
  added: (t) => t('account:passkeys.notices.added'),
  removed: (t) => t('account:passkeys.notices.removed'),
};

export function accountPasskeyRoutes(deps: PageDeps) {
  const router = Router();
  const { passkeys, twoFactor, audit, config } = deps.services;
  const json = jsonBody(config.MAX_BODY_BYTES);

  async function page(req: Request, res: Response, status = 200, error?: string) {
    const user = me(res);
    const list = await passkeys.store.list(user._id);
    const notice = typeof req.query.notice === 'string' && Object.hasOwn(NOTICES, req.query.notice) ? NOTICES[req.query.notice](tr(res)) : undefined;
    res.status(status).set('Cache-Control', 'no-store').render('account/passkeys.njk', {
      section: 'account',
      tab: 'passkeys',
      passkeys: list.map((p) => ({ id: p._id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, synced: passkeyKind(p) === 'swk' })),
      nameMax: NAME_MAX,
      passwordless: config.PASSKEY_PASSWORDLESS,
      required: twoFactor.required(user),
      notice,
      error,
    });
  }

  router.get(PASSKEYS_PATH, requireSignedIn, (req: Request, res: Response) => page(req, res));

  // Step 1: the options for navigator.credentials.create(); the challenge stays in the session.
  router.post(`${PASSKEYS_PATH}options/`, requireSignedIn, json, requireCsrfJson, async (req: Request, res: Response) => {
    const options = await passkeys.registrationOptions(me(res));
    if ('ok' in options) return jsonError(res, options.status, options.reason, passkeyFailureText(tr(res), options.message));
    rememberChallenge(req, 'register', options.challenge, config.PASSKEY_CHALLENGE_SECONDS);
    res.set('Cache-Control', 'no-store').json(options);
  });

  // Step 2: the authenticator's answer, checked against that challenge (once), and a name.
  router.post(PASSKEYS_PATH, requireSignedIn, json, requireCsrfJson, async (req: Request, res: Response) => {
    const user = me(res);
    const body = jsonObject(req);
    if (!body || body.response === undefined) return jsonError(res, 400, 'invalid_request', tr(res)('account:passkeys.errors.missingAnswer'));
    const name = cleanPasskeyName(body.name, (await passkeys.store.count(user._id)) + 1);
    const result = await passkeys.register(user, name, body.response, takeChallenge(req, 'register'));
    if (!result.ok) {
      deps.log.info({ event: 'passkey_register_failed', userId: user._id, reason: result.reason }, 'passkey not added');
      return jsonError(res, result.status, result.reason, passkeyFailureText(tr(res), result.message));
    }
    await audit.record(user.username, 'passkey.add', user.username, { name, synced: result.passkey.deviceType === 'multiDevice' });
    deps.log.info({ event: 'passkey_added', userId: user._id }, 'passkey added');
    res.set('Cache-Control', 'no-store').json({ ok: true, redirect: `${PASSKEYS_PATH}?notice=added` });
  });

  router.post(`${PASSKEYS_PATH}remove/`, requireSignedIn, requireCsrf, async (req: Request, res: Response) => {
    const user = me(res);
    const id = typeof req.body?.id === 'string' ? req.body.id.slice(0, 2048) : '';
    const list = await passkeys.store.list(user._id);
    const target = list.find((p) => p._id === id);
    if (!target) return page(req, res, 404, tr(res)('account:passkeys.errors.notInList'));
    // The last second factor of someone who must have one stays (an administrator can reset it).
    if (twoFactor.required(user) && !user.twoFactor && list.length === 1) {
      return page(req, res, 400, tr(res)('account:passkeys.errors.lastFactor'));
    }
    const removed = await passkeys.store.remove(user._id, id);
    if (removed) {
      await audit.record(user.username, 'passkey.remove', user.username, { name: removed.name });
      deps.log.info({ event: 'passkey_removed', userId: user._id }, 'passkey removed');
    }
    res.redirect(303, `${PASSKEYS_PATH}?notice=removed`);
  });

  return router;
}
