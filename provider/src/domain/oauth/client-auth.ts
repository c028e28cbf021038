// Client authentication for the token, revocation and introspection endpoints:
// client_secret_basic, client_secret_post, none (public clients), and — only for clients
// registered for the Rocket.Chat app — credentials in the query string.
import type { Request } from 'express';
import type { ClientDoc } from '../../db/schema';
import { OAuthError } from '../../kernel/errors';
import type { ClientStore } from '../../store/clients';
import type { Params } from './params';

export interface PresentedCredentials {
  clientId: string;
  clientSecret?: string;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/** Parses the Authorization: Basic header (RFC 6749 §2.3.1: id and secret are form-urlencoded). */
export function basicCredentials(req: Request): { clientId: string; clientSecret: string } | undefined {
  const header = req.headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (!/^[A-Za-z0-9+/=]+$/.test(header.slice(6).trim()) || colon <= 0) {
    throw new OAuthError('invalid_client', 'Malformed HTTP Basic authorization header.');
  }
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw new OAuthError('invalid_client', 'Malformed HTTP Basic authorization header.');
  }
}

export function presentedCredentials(req: Request, params: Params): PresentedCredentials | undefined {
  const basic = basicCredentials(req);
  if (basic) {
    if (params.client_secret !== undefined) throw new OAuthError('invalid_request', 'Use only one client authentication method (HTTP Basic or client_secret in the body).');
    if (params.client_id !== undefined && params.client_id !== basic.clientId) throw new OAuthError('invalid_request', 'client_id in the body does not match the HTTP Basic credentials.');
    return { ...basic, method: 'client_secret_basic' };
  }
  if (params.client_id) {
    return params.client_secret !== undefined
      ? { clientId: params.client_id, clientSecret: params.client_secret, method: 'client_secret_post' }
      : { clientId: params.client_id, method: 'none' };
  }
  return undefined;
}

/** The one public answer to every client-authentication failure; the cause goes only to the log. */
export const CLIENT_AUTH_FAILED = 'Client authentication failed.';

export function clientAuthFailed(detail: string): OAuthError {
  return new OAuthError('invalid_client', CLIENT_AUTH_FAILED, 401, detail);
}

/**
 * Loads and authenticates the client; every failure is invalid_client (401) "Client
 * authentication failed." (like node-oidc-provider), so the answer never tells an unknown
 * client from a wrong secret. The reason (`detail`) is logged.
 */
export async function authenticateClient(clients: ClientStore, creds: PresentedCredentials | undefined): Promise<ClientDoc> {
  if (!creds) throw clientAuthFailed('No client credentials (HTTP Basic or client_id/client_secret in the body).');
  const client = await clients.byId(creds.clientId);
  if (!client) {
    clients.verifySecretDummy(creds.clientSecret ?? '');
    throw clientAuthFailed('Unknown client.');
  }
  if (client.type === 'confidential') {
    if (creds.clientSecret === undefined) throw clientAuthFailed('This client is confidential: its client_secret is required.');
    if (!clients.verifySecret(client, creds.clientSecret)) throw clientAuthFailed('Wrong client secret.');
  } else if (creds.clientSecret !== undefined && creds.clientSecret !== '') {
    throw clientAuthFailed('This client is public and has no secret.');
  }
  return client;
}
