// Signing in with a passkey (public/passkeys.js runs the ceremony):
// - second step: after a correct password, a passkey of that account instead of a code
//   (amr pwd + hwk/swk + mfa);
// - passwordless, where PASSKEY_PASSWORDLESS allows it: from the sign-in page, a discoverable
//   passkey names the account and the authenticator verifies the person (amr hwk/swk + user + mfa).
// Each answer is checked against the session's challenge, once; failures are limited per client
// IP with the wrong-code limiter, since they are refused sign-ins all the same.
import { Router, type Request, type Response } from 'express';
import { requireCsrfJson } from '../middleware/csrf';
import { startSession } from '../middleware/current-user';
import { clientIpKey } from '../middleware/rate-limits';
import { jsonBody, jsonError, jsonObject } from '../kit/json-body';
import type { PageDeps } from '../kit/pages';
import { safeNext } from './accounts';
import { passkeyAmr } from '../../domain/oidc/amr';
import { clearSecondStep, pendingSecondStep, SECOND_STEP_PATH } from '../../domain/two-factor/login-step';
import { twoFactorIpLimiter } from '../../domain/two-factor/limiter';
import { tr } from '../middleware/language';
import { ipWaitText } from './two-factor-texts';
import { passkeyFailureText } from './passkey-texts';
import { rememberChallenge, takeChallenge, type ChallengePurpose } from '../../domain/passkeys/challenge';
import { passkeyKind, type PasskeyFailure } from '../../domain/passkeys/service';

export const SECOND_STEP_PASSKEY_PATH = `${SECOND_STEP_PATH}passkey/`;
export const PASSWORDLESS_PATH = '/accounts/login/passkey/';

declare module 'express-serve-static-core' {
  interface Locals {
    /** What the second sign-in step offers the pending account (login-two-factor.njk). */
    secondStep?: { totp: boolean; passkeys: boolean };
  }
}

export function loginPasskeyRoutes(deps: PageDeps) {
  const router = Router();
  const { passkeys, users, audit, config, db } = deps.services;
  const json = jsonBody(config.MAX_BODY_BYTES);
  const ipLimiter = twoFactorIpLimiter(config, db);
  const SESSION_GONE = (res: Response) => tr(res)('auth:passkeyErrors.sessionGone');

  // The second-step page shows the code form and/or the passkey button, as the account has them
  // (also when it is shown again after a wrong code).
  const offers = async (req: Request, res: Response, next: () => void) => {
    const p = pendingSecondStep(req);
    if (p.state === 'pending') {
      const user = await users.byId(p.userId);
      if (user) res.locals.secondStep = { totp: Boolean(user.twoFactor), passkeys: (await passkeys.store.count(user._id)) > 0 };
    }
    next();
  };
  router.get(SECOND_STEP_PATH, offers);
  router.post(SECOND_STEP_PATH, offers);

  router.post(`${SECOND_STEP_PASSKEY_PATH}options/`, json, requireCsrfJson, async (req: Request, res: Response) => {
    const p = pendingSecondStep(req);
    if (p.state !== 'pending') return jsonError(res, 400, 'login_expired', SESSION_GONE(res));
    const mine = await passkeys.store.list(p.userId);
    if (!mine.length) return jsonError(res, 400, 'no_passkeys', tr(res)('auth:passkeyErrors.noPasskeys'));
    const options = await passkeys.authenticationOptions(mine);
    rememberChallenge(req, 'second-step', options.challenge, config.PASSKEY_CHALLENGE_SECONDS);
    res.set('Cache-Control', 'no-store').json(options);
  });

  router.post(SECOND_STEP_PASSKEY_PATH, json, requireCsrfJson, async (req: Request, res: Response) => {
    const p = pendingSecondStep(req);
    if (p.state !== 'pending') {
      clearSecondStep(req);
      return jsonError(res, 400, 'login_expired', SESSION_GONE(res));
    }
    const user = await users.byId(p.userId);
    if (!user || !user.active) {
      clearSecondStep(req);
      return jsonError(res, 400, 'login_expired', SESSION_GONE(res));
    }
    const result = await limited(req, res, 'second-step', (response, taken) => passkeys.authenticate(response, taken, user._id));
    if (!result) return;
    await startSession(req, user._id, passkeyAmr(passkeyKind(result.passkey), true));
    deps.log.info({ event: 'login', userId: user._id, secondFactor: 'passkey' }, 'user signed in with two factors');
    res.set('Cache-Control', 'no-store').json({ ok: true, redirect: p.next });
  });

  router.post(`${PASSWORDLESS_PATH}options/`, json, requireCsrfJson, async (req: Request, res: Response) => {
    if (!config.PASSKEY_PASSWORDLESS) return notAllowed(res);
    const options = await passkeys.authenticationOptions(undefined);
    rememberChallenge(req, 'passwordless', options.challenge, config.PASSKEY_CHALLENGE_SECONDS);
    // A visitor's session exists only for this challenge: let it end with it.
    if (!req.session.userId) req.session.cookie.maxAge = config.PASSKEY_CHALLENGE_SECONDS * 1000;
    res.set('Cache-Control', 'no-store').json(options);
  });

  router.post(PASSWORDLESS_PATH, json, requireCsrfJson, async (req: Request, res: Response) => {
    if (!config.PASSKEY_PASSWORDLESS) return notAllowed(res);
    const result = await limited(req, res, 'passwordless', (response, taken) => passkeys.authenticate(response, taken));
    if (!result) return;
    const user = await users.byId(result.userId);
    if (!user || !user.active) {
      deps.log.info({ event: 'login_failed', reason: 'inactive', userId: result.userId }, 'passkey sign-in refused: account inactive');
      return jsonError(res, 401, 'inactive', tr(res)('auth:passkeyErrors.inactive'));
    }
    await startSession(req, user._id, passkeyAmr(passkeyKind(result.passkey), false));
    deps.log.info({ event: 'login', userId: user._id, method: 'passkey' }, 'user signed in with a passkey');
    res.set('Cache-Control', 'no-store').json({ ok: true, redirect: safeNext(jsonObject(req)?.next) });
  });

  /** Takes the session's challenge and an IP slot, checks the answer, and answers failures itself. */
  async function limited(
    req: Request,
    res: Response,
    purpose: ChallengePurpose,
    check: (response: unknown, taken: ReturnType<typeof takeChallenge>) => ReturnType<typeof passkeys.authenticate>,
  ) {
    const body = jsonObject(req);
    if (!body || body.response === undefined) {
      jsonError(res, 400, 'invalid_request', tr(res)('auth:passkeyErrors.missingAnswer'));
      return undefined;
    }
    const taken = takeChallenge(req, purpose);
    const ipKey = clientIpKey(req);
    const slot = await ipLimiter.take(ipKey);
    if (!slot.allowed) {
      deps.log.warn({ event: 'passkey_rate_limited', ip: req.ip }, 'too many refused passkey sign-ins from one address');
      res.set('Retry-After', String(slot.retryAfterSeconds));
      jsonError(res, 429, 'too_many_attempts', ipWaitText(tr(res), slot.retryAfterSeconds));
      return undefined;
    }
    const result = await check(body.response, taken);
    if (!result.ok) {
      await refused(req, purpose, result);
      jsonError(res, result.status, result.reason, passkeyFailureText(tr(res), result.message));
      return undefined;
    }
    ipLimiter.give(ipKey);
    return result;
  }

  async function refused(req: Request, purpose: ChallengePurpose, f: PasskeyFailure) {
    deps.log.info({ event: 'passkey_login_failed', purpose, reason: f.reason, ip: req.ip }, 'passkey sign-in refused');
    if (f.reason !== 'cloned' || !f.passkey) return;
    const owner = await users.byId(f.passkey.userId);
    if (owner) await audit.record(owner.username, 'passkey.clone_suspected', owner.username, { name: f.passkey.name });
    deps.log.warn({ event: 'passkey_clone_suspected', userId: f.passkey.userId, ip: req.ip }, 'a passkey answered with a counter that went backwards');
  }

  return router;
}

function notAllowed(res: Response) {
  jsonError(res, 403, 'passwordless_disabled', tr(res)('auth:passkeyErrors.passwordlessDisabled'));
}
