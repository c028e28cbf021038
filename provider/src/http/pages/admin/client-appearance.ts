// POST /admin/clients/:id/appearance — what the consent page shows about an application besides
// its name: a logo (https image) and its home page (https, or http for local development).
import { Router, type Request, type Response } from 'express';
import { requireCsrf } from '../../middleware/csrf';
import { homePageUriSchema as homePage, logoUriSchema as logo } from '../../../store/client-appearance';
import { audit, field, notFound, type PageDeps } from '../../kit/pages';

export function clientAppearanceRoutes(deps: PageDeps) {
  const router = Router();
  const { clients } = deps.services;
  router.post('/clients/:id/appearance', requireCsrf, async (req: Request, res: Response) => {
    const client = await clients.byId(String(req.params.id));
    if (!client) return notFound(res, 'Client', '/admin/clients/', 'Back to clients');
    const l = logo.safeParse(field(req, 'logo_uri', 600));
    const h = homePage.safeParse(field(req, 'home_page_uri', 600));
    if (!l.success || !h.success) {
      const message = [l, h].flatMap((r) => (r.success ? [] : r.error.issues.map((i) => (i.message === 'Invalid url' ? 'Enter a complete URL such as https://app.example.com/logo.png.' : i.message))));
      return res.status(400).render('error.njk', { title: 'Check the consent-page details', message: `${message.join(' ')} Nothing was changed.`, backHref: `/admin/clients/${encodeURIComponent(client._id)}/`, backText: `Back to ${client.name}` });
    }
    await clients.update(client._id, { logoUri: l.data, homePageUri: h.data });
    await audit(deps, res, 'client.update', `client:${client._id}`, { logoUri: l.data, homePageUri: h.data });
    res.redirect(303, `/admin/clients/${encodeURIComponent(client._id)}/?notice=client-saved`);
  });
  return router;
}
