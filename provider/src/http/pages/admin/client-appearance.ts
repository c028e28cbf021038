// POST /admin/clients/:id/appearance — what the consent page shows about an application besides
// its name: a logo (https image) and its home page (https, or http for local development).
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { requireCsrf } from '../../middleware/csrf';
import { tr } from '../../middleware/language';
import type { Translate } from '../../../kernel/i18n/translator';
import { homePageUriSchema as homePage, logoUriSchema as logo } from '../../../store/client-appearance';
import { audit, field, type PageDeps } from '../../kit/pages';

/** One field's problems in the admin's words (the schema's rules: a URL, https for the logo, http(s) for the home page). */
function problems(t: Translate, result: z.SafeParseReturnType<string, string>, which: 'logo' | 'home'): string[] {
  if (result.success) return [];
  return result.error.issues.map((i) => {
    if (i.message === 'Invalid url') return t('admin-clients:appearance.notUrl');
    if (i.code === 'custom') return which === 'logo' ? t('admin-clients:appearance.logoHttps') : t('admin-clients:appearance.homeHttp');
    if (i.code === 'too_big') return t('admin-clients:appearance.tooLong');
    return i.message;
  });
}

export function clientAppearanceRoutes(deps: PageDeps) {
  const router = Router();
  const { clients } = deps.services;
  router.post('/clients/:id/appearance', requireCsrf, async (req: Request, res: Response) => {
    const t = tr(res);
    const client = await clients.byId(String(req.params.id));
    if (!client) return res.status(404).render('error.njk', { title: t('admin-clients:notFound.title'), message: t('admin-clients:notFound.message'), backHref: '/admin/clients/', backText: t('admin-clients:backToClients') });
    const l = logo.safeParse(field(req, 'logo_uri', 600));
    const h = homePage.safeParse(field(req, 'home_page_uri', 600));
    if (!l.success || !h.success) {
      const message = [...problems(t, l, 'logo'), ...problems(t, h, 'home')];
      return res.status(400).render('error.njk', { title: t('admin-clients:appearance.title'), message: t('admin-clients:appearance.message', { problems: message.join(' ') }), backHref: `/admin/clients/${encodeURIComponent(client._id)}/`, backText: t('admin-clients:appearance.back', { name: client.name }) });
    }
    await clients.update(client._id, { logoUri: l.data, homePageUri: h.data });
    await audit(deps, res, 'client.update', `client:${client._id}`, { logoUri: l.data, homePageUri: h.data });
    res.redirect(303, `/admin/clients/${encodeURIComponent(client._id)}/?notice=client-saved`);
  });
  return router;
}
