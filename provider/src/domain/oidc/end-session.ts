// RP-Initiated Logout 1.0: validates a logout request. A post_logout_redirect_uri is only ever
// used when it is registered for the client, character for character; otherwise an error page.
import type { ClientDoc } from '../../db/schema';
import type { ClientStore } from '../../store/clients';
import { verifyIdTokenHint, type IdTokenHint } from './id-token-hint';
import type { SigningKeys } from '../../store/signing-keys';

export const LOGOUT_PARAMS = ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state', 'logout_hint', 'ui_locales'] as const;

export interface LogoutRequest {
  hint?: IdTokenHint;
  client?: ClientDoc;
  redirectUri?: string;
  state?: string;
  /** The parameters to carry through the confirmation form. */
  params: Record<string, string>;
}

export type LogoutValidation = { ok: true; request: LogoutRequest } | { ok: false; title: string; message: string };

export async function validateLogoutRequest(raw: Record<string, unknown>, deps: { keys: SigningKeys; clients: ClientStore; issuer: string }): Promise<LogoutValidation> {
  const params: Record<string, string> = {};
  for (const name of LOGOUT_PARAMS) {
    const v = raw[name];
    if (v === undefined || v === '') continue;
    if (typeof v !== 'string') return { ok: false, title: 'Invalid sign-out request', message: `The parameter "${name}" was sent more than once or is malformed.` };
    if (v.length > 8192) return { ok: false, title: 'Invalid sign-out request', message: `The parameter "${name}" is too long.` };
    params[name] = v;
  }
  let hint: IdTokenHint | undefined;
  if (params.id_token_hint) {
    hint = await verifyIdTokenHint(deps.keys, deps.issuer, params.id_token_hint);
    if (!hint) return { ok: false, title: 'Invalid sign-out request', message: 'The application sent an ID token (id_token_hint) that this sign-in service did not issue, or whose signing key is no longer published. Nothing was changed.' };
    if (params.client_id && params.client_id !== hint.clientId) {
      return { ok: false, title: 'Invalid sign-out request', message: 'The client_id does not match the application the ID token (id_token_hint) was issued to. Nothing was changed.' };
    }
  }
  const clientId = params.client_id ?? hint?.clientId;
  const client = clientId ? await deps.clients.byId(clientId) : null;
  if (clientId && !client) return { ok: false, title: 'Unknown application', message: 'The application that sent you here is not registered with this sign-in service (unknown client_id). Nothing was changed.' };
  const redirectUri = params.post_logout_redirect_uri;
  if (redirectUri !== undefined) {
    if (!client) {
      return { ok: false, title: 'Invalid sign-out request', message: 'A return address (post_logout_redirect_uri) was given without saying which application sent it (client_id or id_token_hint). Nothing was changed.' };
    }
    if (!(client.postLogoutRedirectUris ?? []).includes(redirectUri)) {
      return { ok: false, title: 'Unregistered return address', message: `The application "${client.name}" asked to return to an address after sign-out that is not registered for it (post_logout_redirect_uri). An administrator must register the exact URI. Nothing was changed.` };
    }
  }
  return { ok: true, request: { hint, client: client ?? undefined, redirectUri, state: params.state, params } };
}

export function postLogoutLocation(r: LogoutRequest): string | undefined {
  if (!r.redirectUri) return undefined;
  const url = new URL(r.redirectUri);
  if (r.state !== undefined) url.searchParams.set('state', r.state);
  return url.toString();
}
