// POST /admin/users/:id/reset-2fa — an administrator turns off a user's two-factor sign-in (lost
// phone and recovery codes, lost passkeys): the authenticator app and every passkey. The user
// signs in with the password alone next time — or, under TWO_FACTOR_REQUIRED, is sent to set it up again.
import { Router, type Request, type Response } from 'express';
import { requireCsrf } from '../../middleware/csrf';
import { audit, type PageDeps } from '../../kit/pages';
import { userNotFound } from './admin-text';
import { sendNotice } from '../../../domain/accounts/notices';
import { resetSecondFactors } from '../../../domain/passkeys/second-factors';

export function twoFactorResetRoutes(deps: PageDeps) {
  const router = Router();
  const { users, twoFactor, passkeys } = deps.services;
  router.post('/users/:id/reset-2fa', requireCsrf, async (req: Request, res: Response) => {
    const user = await users.byId(String(req.params.id));
    if (!user) return userNotFound(res);
    const reset = await resetSecondFactors(user._id, twoFactor, passkeys.store);
    const wasOn = reset.changed;
    if (wasOn) {
      await audit(deps, res, 'two_factor.reset', user.username, { by: 'admin', app: reset.totp, passkeysRemoved: reset.passkeys });
      await sendNotice(deps.services, user, 'two_factor_disabled', { by: 'admin' }, deps.log);
    }
    res.redirect(303, `/admin/users/${encodeURIComponent(user._id)}/?notice=${wasOn ? 'two-factor-reset' : 'two-factor-was-off'}`);
  });
  return router;
}
