// POST /language/: the footer's language switch. Remembers the choice in a cookie and, when
// someone is signed in, on their account (mails then follow it too), then returns to the page.
// The profile page's choice posts here too, with an empty value for "the browser's language".
import express, { type Request, type Response } from 'express';
import type { UserStore } from '../../store/users';
import { LANGUAGES, supportedLanguage } from '../../kernel/i18n/languages';
import { requireCsrf } from '../middleware/csrf';
import { LANGUAGE_COOKIE, tr } from '../middleware/language';
import { sameSitePath } from '../kit/same-site-path';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/** Back to the page the switch was on (the footer form sends its own path and query), if it is a same-site path. */
function returnPath(v: unknown): string {
  return sameSitePath(v, 2000) ?? '/';
}

export function languageRoutes(deps: { users: UserStore; secureCookies: boolean }) {
  const router = express.Router();
  router.post('/language/', requireCsrf, async (req: Request, res: Response, next) => {
    try {
      // An empty choice ("Browser's language" on the profile page) forgets the choice: the
      // account's and the cookie's; Accept-Language decides again.
      if (req.body?.lang === '') {
        res.clearCookie(LANGUAGE_COOKIE, { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, path: '/' });
        const user = res.locals.currentUser;
        if (user) await deps.users.setLanguage(user._id, undefined);
        return res.redirect(303, returnPath(req.body?.next));
      }
      const lang = supportedLanguage(req.body?.lang);
      if (!lang) {
        const t = tr(res);
        return res.status(400).render('error.njk', {
          title: t('common:language.unknownTitle'),
          message: t('common:language.unknownMessage', { choices: LANGUAGES.map((l) => `${l.nativeName} (${l.code})`).join(', ') }),
          backHref: returnPath(req.body?.next),
          backText: t('common:language.back'),
        });
      }
      res.cookie(LANGUAGE_COOKIE, lang, { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, path: '/', maxAge: ONE_YEAR_MS });
      const user = res.locals.currentUser;
      if (user) await deps.users.setLanguage(user._id, lang);
      res.redirect(303, returnPath(req.body?.next));
    } catch (err) {
      next(err);
    }
  });
  return router;
}
