// /admin/clients/ — register OAuth clients with the presets, edit them, rotate secrets, delete
// them, and the "Connect Rocket.Chat" page with every value to paste.
import { Router, type Request, type Response } from 'express';
import type { ClientDoc, ClientPreset } from '../../../db/schema';
import { AppError } from '../../../kernel/errors';
import { PRESET_DEFAULTS, PRESETS, type TokenLifetimes } from '../../../store/clients';
import type { Config } from '../../../kernel/config';
import { requireCsrf } from '../../middleware/csrf';
import { audit, checkbox, completeSubmission, field, formNonce, newFormNonce, noticeFrom, once, redirectUriList, releaseSubmission, type PageDeps } from '../../kit/pages';
import { connectValues, expectedRedirectFor, expectedRedirectTemplate, loginSetups, matchingRedirectUris } from '../../../domain/rocketchat/connect-values';
import { tr } from '../../middleware/language';
import type { Translate } from '../../../kernel/i18n/translator';
import { clientFormProblem, flagRows, presetHelp, presetLabels, unforeseenProblem } from './client-words';
import { translateSetups, translateValues } from './connect-words';

function lifetimeDefaults(config: Config) {
  return { access: config.ACCESS_TOKEN_EXPIRE_SECONDS, idle: config.REFRESH_TOKEN_EXPIRE_SECONDS, absolute: config.REFRESH_TOKEN_ABSOLUTE_SECONDS };
}

/** The redirect URI each preset expects, as the form's placeholder (forms.js follows the choice). */
const REDIRECT_PLACEHOLDERS: Record<ClientPreset, string> = {
  'rocketchat-wordpress': 'https://chat.example.com/_oauth/wordpress',
  'rocketchat-login': 'https://chat.example.com/_oauth/hrm',
  'rocketchat-app': 'https://chat.example.com/api/apps/public/<appId>/hrm-callback',
  generic: 'https://app.example.com/oauth/callback',
  'oidc-web': 'https://app.example.com/oidc/callback',
};

/** Every edition's path first: Custom OAuth is Premium from Rocket.Chat 9.0. */
const PRESET_ORDER: ClientPreset[] = ['rocketchat-wordpress', 'rocketchat-login', 'rocketchat-app', 'oidc-web', 'generic'];

function presetChoices(t: Translate) {
  const labels = presetLabels(t);
  const help = presetHelp(t);
  return PRESET_ORDER.filter((p) => PRESETS.includes(p)).map((p) => ({ value: p, label: labels[p], help: help[p], placeholder: REDIRECT_PLACEHOLDERS[p] }));
}

export function redirectPlaceholder(preset: string): string {
  return REDIRECT_PLACEHOLDERS[preset as ClientPreset] ?? REDIRECT_PLACEHOLDERS['rocketchat-wordpress'];
}

/** The three lifetime fields of the client forms: empty = unset; anything else must be whole seconds. */
function lifetimeInputs(req: Request) {
  const raw = {
    accessTokenLifetime: field(req, 'access_token_lifetime', 20).trim(),
    refreshIdleTimeout: field(req, 'refresh_idle_timeout', 20).trim(),
    refreshAbsoluteLifetime: field(req, 'refresh_absolute_lifetime', 20).trim(),
  };
  return { raw, parse: () => Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '').map(([k, v]) => {
    if (!/^\d+$/.test(v)) throw new AppError('invalid_client_metadata', 'Token lifetimes must be whole numbers of seconds.'); // clientFormProblem says it first
    return [k, Number(v)];
  })) as TokenLifetimes };
}

function lifetimeValues(c: ClientDoc) {
  return { accessTokenLifetime: c.accessTokenLifetime ?? '', refreshIdleTimeout: c.refreshIdleTimeout ?? '', refreshAbsoluteLifetime: c.refreshAbsoluteLifetime ?? '' };
}

/** Notices after a redirect that belong to the client pages, in the admin's language. */
function clientNotice(t: Translate, req: Request): string | undefined {
  const own: Record<string, string> = { 'client-saved': t('admin-clients:notices.saved'), 'client-deleted': t('admin-clients:notices.deleted') };
  const code = typeof req.query.notice === 'string' ? req.query.notice : '';
  return own[code] ?? noticeFrom(req);
}

function clientNotFound(res: Response) {
  const t = tr(res);
  res.status(404).render('error.njk', { title: t('admin-clients:notFound.title'), message: t('admin-clients:notFound.message'), backHref: '/admin/clients/', backText: t('admin-clients:backToClients') });
}

/** A form problem already worded for the admin (not a store error). */
class FormProblem extends Error {}

export function clientRoutes(deps: PageDeps) {
  const router = Router();
  const { clients, tokens, db, config } = deps.services;

  async function usage(clientId: string) {
    const now = new Date();
    const [accessTokens, refreshTokens, consents] = await Promise.all([
      tokens.countLive('access_tokens', { clientId }, { now }),
      tokens.countLive('refresh_tokens', { clientId }, { now }),
      deps.services.consents.countForClient(clientId),
    ]);
    return { accessTokens, refreshTokens, consents, inUse: accessTokens + refreshTokens + consents > 0 };
  }

  function renderConnect(res: Response, client: ClientDoc, opts: { secret?: string; created?: boolean; rotated?: boolean; site?: string; status?: number }) {
    const t = tr(res);
    const site = opts.site ?? '';
    const exact = site ? expectedRedirectFor(client, site) : undefined;
    res.status(opts.status ?? 200).set('Cache-Control', 'no-store').render('admin/connect.njk', {
      section: 'clients',
      client,
      presetLabel: presetLabels(t)[client.preset],
      values: translateValues(t, connectValues(client, config, opts.secret), client, undefined, opts.secret),
      setups: translateSetups(t, loginSetups(client, config, opts.secret), client, opts.secret),
      secret: opts.secret,
      created: opts.created,
      rotated: opts.rotated,
      expectedTemplate: expectedRedirectTemplate(client),
      matching: matchingRedirectUris(client),
      site,
      siteError: site && !exact ? t('admin-connect:siteError') : undefined,
      exact,
      exactRegistered: exact ? client.redirectUris.includes(exact) : undefined,
      issuer: config.issuer,
    });
  }

  router.get('/clients/', formNonce, async (req: Request, res: Response) => {
    const t = tr(res);
    const [list, counts] = await Promise.all([clients.list(), tokens.activeCountsByClient()]);
    const labels = presetLabels(t);
    res.render('admin/clients.njk', {
      section: 'clients',
      clients: list.map((c) => ({ ...c, presetLabel: labels[c.preset], activeTokens: counts[c._id] ?? 0 })),
      notice: clientNotice(t, req),
    });
  });

  router.get('/clients/new', formNonce, (req: Request, res: Response) => {
    const preset = PRESETS.includes(req.query.preset as ClientPreset) ? (req.query.preset as ClientPreset) : 'rocketchat-wordpress';
    res.render('admin/client-new.njk', { section: 'clients', presets: presetChoices(tr(res)), placeholder: redirectPlaceholder(preset), lifetimeDefaults: lifetimeDefaults(config), values: { preset, redirectUris: '', name: '' } });
  });

  router.post('/clients/', requireCsrf, once(db, '/admin/clients/'), async (req: Request, res: Response) => {
    const t = tr(res);
    const lifetimes = lifetimeInputs(req);
    const values = { name: field(req, 'name', 200), preset: field(req, 'preset', 40), redirectUris: field(req, 'redirect_uris', 8000), skipAuthorization: checkbox(req, 'skip_authorization'), ...lifetimes.raw };
    try {
      if (!PRESETS.includes(values.preset as ClientPreset)) throw new FormProblem(t('admin-clients:errors.preset'));
      const problem = clientFormProblem(t, { name: values.name, redirectUris: redirectUriList(values.redirectUris), needsRedirect: PRESET_DEFAULTS[values.preset as ClientPreset].grants.includes('authorization_code'), lifetimes: lifetimes.raw });
      if (problem) throw new FormProblem(problem);
      const { client, clientSecret } = await clients.create({
        name: values.name,
        preset: values.preset as ClientPreset,
        redirectUris: redirectUriList(values.redirectUris),
        skipAuthorization: values.skipAuthorization,
        ...lifetimes.parse(),
      });
      await audit(deps, res, 'client.create', `client:${client._id}`, { name: client.name, preset: client.preset, redirectUris: client.redirectUris, skipAuthorization: client.skipAuthorization });
      await completeSubmission(db, res.locals.submissionKey!, `/admin/clients/${client._id}/connect`, t('admin-clients:goTo', { name: client.name }));
      renderConnect(res, client, { secret: clientSecret ?? undefined, created: true, status: 201 });
    } catch (err) {
      await releaseSubmission(db, res.locals.submissionKey!);
      const message = err instanceof FormProblem ? err.message : unforeseenProblem(t, err);
      if (!message) throw err;
      res.status(400).render('admin/client-new.njk', { section: 'clients', presets: presetChoices(t), placeholder: redirectPlaceholder(values.preset), lifetimeDefaults: lifetimeDefaults(config), values, error: message, once: newFormNonce() });
    }
  });

  router.get('/clients/:id/', formNonce, async (req: Request, res: Response) => {
    const client = await clients.byId(req.params.id);
    if (!client) return clientNotFound(res);
    const t = tr(res);
    res.render('admin/client-edit.njk', {
      section: 'clients',
      client,
      presetLabel: presetLabels(t)[client.preset],
      flags: flagRows(t, client, config),
      lifetimeDefaults: lifetimeDefaults(config),
      values: { name: client.name, redirectUris: client.redirectUris.join('\n'), skipAuthorization: client.skipAuthorization, requirePkce: client.requirePkce, allowPlainPkce: client.allowPlainPkce, ...lifetimeValues(client) },
      usage: await usage(client._id),
      notice: clientNotice(t, req),
    });
  });

  router.post('/clients/:id/', requireCsrf, async (req: Request, res: Response) => {
    const client = await clients.byId(req.params.id);
    if (!client) return clientNotFound(res);
    const t = tr(res);
    const values = {
      name: field(req, 'name', 200),
      redirectUris: field(req, 'redirect_uris', 8000),
      skipAuthorization: checkbox(req, 'skip_authorization'),
      requirePkce: checkbox(req, 'require_pkce'),
      allowPlainPkce: checkbox(req, 'allow_plain_pkce'),
      ...lifetimeInputs(req).raw,
    };
    try {
      const problem = clientFormProblem(t, { name: values.name, redirectUris: redirectUriList(values.redirectUris), needsRedirect: client.grants.includes('authorization_code'), lifetimes: lifetimeInputs(req).raw });
      if (problem) throw new FormProblem(problem);
      const updated = await clients.update(client._id, {
        name: values.name,
        redirectUris: redirectUriList(values.redirectUris),
        skipAuthorization: values.skipAuthorization,
        requirePkce: values.requirePkce,
        allowPlainPkce: values.allowPlainPkce,
        ...lifetimeInputs(req).parse(),
      });
      const changed = (['name', 'redirectUris', 'skipAuthorization', 'requirePkce', 'allowPlainPkce', 'accessTokenLifetime', 'refreshIdleTimeout', 'refreshAbsoluteLifetime'] as const).filter((k) => JSON.stringify(client[k]) !== JSON.stringify(updated[k]));
      await audit(deps, res, 'client.update', `client:${client._id}`, Object.fromEntries(changed.map((k) => [k, updated[k]])));
      res.redirect(303, `/admin/clients/${encodeURIComponent(client._id)}/?notice=client-saved`);
    } catch (err) {
      const message = err instanceof FormProblem ? err.message : unforeseenProblem(t, err);
      if (!message) throw err;
      res.status(400).render('admin/client-edit.njk', {
        section: 'clients',
        client,
        presetLabel: presetLabels(t)[client.preset],
        flags: flagRows(t, client, config),
        lifetimeDefaults: lifetimeDefaults(config),
        values,
        usage: await usage(client._id),
        error: message,
      });
    }
  });

  router.get('/clients/:id/connect', formNonce, async (req: Request, res: Response) => {
    const client = await clients.byId(req.params.id);
    if (!client) return clientNotFound(res);
    renderConnect(res, client, { site: typeof req.query.site === 'string' ? req.query.site.slice(0, 500) : '' });
  });

  router.post('/clients/:id/rotate-secret', requireCsrf, once(db, '/admin/clients/', 'The new secret was shown only in the answer to the first submission. If you missed it, rotate the secret again.'), async (req: Request, res: Response) => {
    const client = await clients.byId(req.params.id);
    if (!client) {
      await releaseSubmission(db, res.locals.submissionKey!);
      return clientNotFound(res);
    }
    const t = tr(res);
    if (client.type !== 'confidential') {
      await releaseSubmission(db, res.locals.submissionKey!);
      return res.status(400).render('error.njk', { title: t('admin-clients:rotate.noSecretTitle'), message: t('admin-clients:rotate.noSecretMessage'), backHref: `/admin/clients/${client._id}/`, backText: t('admin-clients:rotate.back') });
    }
    const secret = await clients.rotateSecret(client._id);
    await audit(deps, res, 'client.rotate_secret', `client:${client._id}`, { name: client.name });
    await completeSubmission(db, res.locals.submissionKey!, `/admin/clients/${client._id}/connect`, t('admin-clients:goTo', { name: client.name }));
    renderConnect(res, client, { secret, rotated: true });
  });

  router.get('/clients/:id/delete', formNonce, async (req: Request, res: Response) => {
    const client = await clients.byId(req.params.id);
    if (!client) return clientNotFound(res);
    res.render('admin/client-delete.njk', { section: 'clients', client, usage: await usage(client._id) });
  });

  router.post('/clients/:id/delete', requireCsrf, async (req: Request, res: Response) => {
    const client = await clients.byId(req.params.id);
    const t = tr(res);
    if (!client) {
      // Already deleted (double submit, or another admin): the outcome the admin wanted.
      return res.status(404).render('error.njk', {
        title: t('admin-clients:delete.alreadyTitle'),
        message: t('admin-clients:delete.alreadyMessage'),
        backHref: '/admin/clients/',
        backText: t('admin-clients:backToClients'),
      });
    }
    if (field(req, 'confirm_name', 200) !== client.name) {
      return res.status(400).render('admin/client-delete.njk', { section: 'clients', client, usage: await usage(client._id), error: t('admin-clients:delete.mismatch') });
    }
    const u = await usage(client._id);
    await clients.delete(client._id);
    await audit(deps, res, 'client.delete', `client:${client._id}`, { name: client.name, preset: client.preset, activeAccessTokens: u.accessTokens, activeRefreshTokens: u.refreshTokens, consents: u.consents });
    res.redirect(303, '/admin/clients/?notice=client-deleted');
  });

  return router;
}
