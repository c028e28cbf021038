// /o/register/ (RFC 7591) and /o/register/:client_id (RFC 7592), mounted only when
// DYNAMIC_CLIENT_REGISTRATION=true. JSON in and out; errors are RFC-shaped.
import express, { Router, type Request, type Response } from 'express';
import type { Logger } from '../../kernel/log';
import type { Services } from '../../domain/services';
import { metadataOf, parseClientMetadata, RegistrationError, type Registrations } from '../../domain/oidc/registration';

function bearer(req: Request): string | undefined {
  return /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(req.headers.authorization?.trim() ?? '')?.[1];
}

export function registrationRoutes(services: Services, registrations: Registrations, log: Logger) {
  const router = Router();
  const { config, audit } = services;
  const json = express.json({ limit: config.MAX_BODY_BYTES, type: () => true });
  const noStore = (res: Response) => res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  const unauthorized = (res: Response, description: string) =>
    noStore(res).set('WWW-Authenticate', `Bearer realm="hrm", error="invalid_token"`).status(401).json({ error: 'invalid_token', error_description: description });
  const metadataError = (res: Response, err: unknown) => {
    if (!(err instanceof RegistrationError)) throw err;
    noStore(res).status(400).json({ error: err.code, error_description: err.message });
  };

  router.post('/o/register/', json, async (req: Request, res: Response) => {
    const token = bearer(req);
    if (!token) return unauthorized(res, 'Registration needs an initial access token (Authorization: Bearer …) from `npm run provider -- registration create-token`.');
    try {
      const metadata = parseClientMetadata(req.body);
      const result = await registrations.register(token, metadata);
      if (result === 'bad_token') return unauthorized(res, 'The initial access token is unknown, expired or already used.');
      await audit.record('registration', 'client.register', result.client._id, { name: result.client.name });
      log.info({ event: 'client_registered', clientId: result.client._id }, 'client registered dynamically');
      noStore(res)
        .status(201)
        .json({
          ...metadataOf(result.client, config),
          ...(result.clientSecret ? { client_secret: result.clientSecret, client_secret_expires_at: 0 } : {}),
          registration_access_token: result.registrationAccessToken,
        });
    } catch (err) {
      metadataError(res, err);
    }
  });

  const managed = async (req: Request, res: Response) => {
    const client = await registrations.authorize(String(req.params.clientId), bearer(req));
    if (!client) {
      unauthorized(res, 'The registration access token does not match this client.');
      return null;
    }
    return client;
  };

  router.get('/o/register/:clientId', async (req: Request, res: Response) => {
    const client = await managed(req, res);
    if (client) noStore(res).json(metadataOf(client, config));
  });

  router.put('/o/register/:clientId', json, async (req: Request, res: Response) => {
    const client = await managed(req, res);
    if (!client) return;
    try {
      const body = req.body as Record<string, unknown> | undefined;
      if (body && typeof body === 'object' && body.client_id !== undefined && body.client_id !== client._id) {
        throw new RegistrationError('invalid_client_metadata', 'client_id in the body does not match the URL.');
      }
      const updated = await registrations.update(client, parseClientMetadata(body));
      await audit.record('registration', 'client.update', client._id, { redirectUris: updated.redirectUris });
      noStore(res).json(metadataOf(updated, config));
    } catch (err) {
      metadataError(res, err);
    }
  });

  router.delete('/o/register/:clientId', async (req: Request, res: Response) => {
    const client = await managed(req, res);
    if (!client) return;
    await registrations.remove(client);
    await audit.record('registration', 'client.delete', client._id, { name: client.name });
    noStore(res).status(204).end();
  });

  return router;
}
