// `client …`: OAuth clients. Secrets exist in clear only in this command's output.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { ClientDoc, GrantType } from '../db/schema';
import { PRESETS, type ClientStore } from '../store/clients';
import { AppError } from '../kernel/errors';
import { checkAppearance } from '../store/client-appearance';
import { UsageError } from './output';
import { clientJson, table } from './output';
import { withServices } from './context';
import type { GlobalOptions } from './options';

interface CreateOptions {
  name: string;
  redirectUri: string[];
  type?: 'confidential' | 'public';
  grants?: string[];
  preset?: (typeof PRESETS)[number];
  skipAuthorization?: boolean;
  requirePkce?: boolean;
  postLogoutRedirectUri: string[];
  revokeTokensOnLogout?: boolean;
  allowedOrigin: string[];
  accessTokenLifetime?: number;
  refreshIdleTimeout?: number;
  refreshAbsoluteLifetime?: number;
  allowQueryAccessToken?: boolean;
  allowIntrospection?: boolean;
}

/** Parses a whole number of seconds for a lifetime flag (the store checks the range). */
function secondsArg(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number of seconds');
  return Number(value.trim());
}

interface EditOptions {
  name?: string;
  redirectUri?: string[];
  addRedirectUri: string[];
  removeRedirectUri: string[];
  grants?: string[];
  skipAuthorization?: boolean;
  requirePkce?: boolean;
  allowPlainPkce?: boolean;
  logoUri?: string;
  homePage?: string;
}

const ONCE = 'Store the secret now: it is shown only this once (rotate it with `client rotate-secret` if lost).';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
const commaList = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

export function clientCommands(program: Command, globals: () => GlobalOptions): void {
  const client = program.command('client').description('manage OAuth clients');

  client
    .command('create')
    .description('register a client; prints client_id and client_secret once')
    .requiredOption('--name <name>', 'name shown on the consent page')
    .option('--redirect-uri <uri>', 'allowed redirect URI, matched exactly (repeat for several)', collect, [])
    .addOption(new Option('--type <type>', 'client type (default from the preset: confidential)').choices(['confidential', 'public']))
    .option('--grants <list>', 'comma-separated grant types: authorization_code, refresh_token, client_credentials, password', commaList)
    .addOption(new Option('--preset <preset>', 'flags for a known consumer').choices(PRESETS).default('generic'))
    .option('--skip-authorization', 'never show the consent page for this client')
    .option('--require-pkce', 'demand S256 PKCE from this confidential client')
    .option('--access-token-lifetime <seconds>', 'access token lifetime (default: the preset\'s, else ACCESS_TOKEN_EXPIRE_SECONDS)', secondsArg)
    .option('--refresh-idle-timeout <seconds>', 'a refresh token unused this long expires (default: the preset\'s, else REFRESH_TOKEN_EXPIRE_SECONDS)', secondsArg)
    .option('--refresh-absolute-lifetime <seconds>', 'no refresh token outlives the grant\'s start + this (default: the preset\'s, else REFRESH_TOKEN_ABSOLUTE_SECONDS)', secondsArg)
    .option('--allow-query-access-token', 'userinfo accepts ?access_token= from this client (Rocket.Chat "Payload" mode; on for the rocketchat presets)')
    .option('--allow-introspection', "may introspect other clients' tokens (a resource server)")
    .option('--post-logout-redirect-uri <uri>', 'OpenID Connect: where the browser may return after sign-out, matched exactly (repeat for several)', collect, [])
    .option('--revoke-tokens-on-logout', 'OpenID Connect: sign-out at this client also revokes its tokens for the user')
    .option('--allowed-origin <origin>', 'CORS: https origin of a browser app that may call the token, revocation and userinfo endpoints (repeat for several)', collect, [])
    .action(async (opts: CreateOptions) => {
      await withServices(globals().json, async ({ clients, audit, out }) => {
        await refuseDuplicateName(clients, opts.name);
        const { client: doc, clientSecret } = await clients.create({
          name: opts.name,
          redirectUris: opts.redirectUri,
          type: opts.type,
          grants: opts.grants as GrantType[] | undefined,
          preset: opts.preset,
          skipAuthorization: Boolean(opts.skipAuthorization),
          requirePkce: opts.requirePkce ? true : undefined,
          accessTokenLifetime: opts.accessTokenLifetime,
          refreshIdleTimeout: opts.refreshIdleTimeout,
          refreshAbsoluteLifetime: opts.refreshAbsoluteLifetime,
          allowQueryAccessToken: opts.allowQueryAccessToken ? true : undefined,
          allowIntrospection: opts.allowIntrospection ? true : undefined,
          postLogoutRedirectUris: opts.postLogoutRedirectUri,
          revokeTokensOnLogout: Boolean(opts.revokeTokensOnLogout),
          allowedOrigins: opts.allowedOrigin,
        });
        await audit.record('cli', 'client.create', doc._id, { name: doc.name, preset: doc.preset });
        out.result({ client_id: doc._id, client_secret: clientSecret, ...withoutId(doc) }, () => [
          `Created client "${doc.name}" (${doc.preset}, ${doc.type}).`,
          `client_id:     ${doc._id}`,
          clientSecret ? `client_secret: ${clientSecret}` : 'client_secret: (none: public client, use PKCE)',
          ...(clientSecret ? ['', ONCE] : []),
        ]);
      });
    });

  client
    .command('edit')
    .description("change a client's name, redirect URIs, grants or flags (its id, type, preset and secret stay)")
    .argument('<client_id>', 'the client')
    .option('--name <name>', 'new name (must stay unique)')
    .option('--redirect-uri <uri>', 'replace the redirect URIs with these (repeat for several)', collect)
    .option('--add-redirect-uri <uri>', 'add a redirect URI (repeatable)', collect, [])
    .option('--remove-redirect-uri <uri>', 'remove a redirect URI (repeatable)', collect, [])
    .option('--grants <list>', 'replace the grant types (comma-separated)', commaList)
    .option('--skip-authorization', 'never show the consent page')
    .option('--no-skip-authorization', 'show the consent page')
    .option('--require-pkce', 'demand S256 PKCE')
    .option('--no-require-pkce', 'honour PKCE without demanding it (confidential clients only)')
    .option('--allow-plain-pkce', 'accept code_challenge_method=plain')
    .option('--no-allow-plain-pkce', 'accept only S256')
    .option('--logo-uri <url>', 'logo on the consent page: an https:// image URL ("" removes it)')
    .option('--home-page <uri>', 'home page linked from the consent page: an http(s) URL ("" removes it)')
    .action(async (id: string, opts: EditOptions) => {
      const touched = ['name', 'redirectUri', 'grants', 'skipAuthorization', 'requirePkce', 'allowPlainPkce', 'logoUri', 'homePage'].some((k) => opts[k as keyof EditOptions] !== undefined) || opts.addRedirectUri.length + opts.removeRedirectUri.length > 0;
      if (!touched) throw new UsageError('Nothing to change: give at least one of --name, --redirect-uri, --add-redirect-uri, --remove-redirect-uri, --grants, --logo-uri, --home-page, or a flag option.');
      if (opts.redirectUri && (opts.addRedirectUri.length || opts.removeRedirectUri.length)) {
        throw new UsageError('--redirect-uri replaces the whole list: do not combine it with --add-redirect-uri or --remove-redirect-uri.');
      }
      await withServices(globals().json, async ({ clients, audit, out }) => {
        // Checked like the admin page's form (store/client-appearance.ts), before anything is written.
        const appearance = checkAppearance({ logoUri: opts.logoUri, homePageUri: opts.homePage });
        if (!appearance.ok) throw new AppError('invalid_client_metadata', appearance.message);
        const before = await clients.require(id);
        if (opts.name !== undefined) await refuseDuplicateName(clients, opts.name, before._id);
        let redirectUris = opts.redirectUri;
        if (opts.addRedirectUri.length || opts.removeRedirectUri.length) {
          const missing = opts.removeRedirectUri.filter((u) => !before.redirectUris.includes(u));
          if (missing.length) throw new AppError('unknown_redirect_uri', `Client "${before.name}" has no redirect URI ${missing.map((u) => `"${u}"`).join(', ')}.`);
          redirectUris = [...before.redirectUris.filter((u) => !opts.removeRedirectUri.includes(u)), ...opts.addRedirectUri];
        }
        const doc = await clients.update(id, {
          name: opts.name,
          redirectUris,
          grants: opts.grants as GrantType[] | undefined,
          skipAuthorization: opts.skipAuthorization,
          requirePkce: opts.requirePkce,
          allowPlainPkce: opts.allowPlainPkce,
          logoUri: appearance.logoUri,
          homePageUri: appearance.homePageUri,
        });
        const changed = Object.keys(clientJson(doc)).filter((k) => JSON.stringify((clientJson(doc) as Record<string, unknown>)[k]) !== JSON.stringify((clientJson(before) as Record<string, unknown>)[k]));
        await audit.record('cli', 'client.edit', id, { name: doc.name, fields: changed });
        out.result(clientJson(doc), () => [changed.length ? `Updated client "${doc.name}" (${id}): ${changed.join(', ')}.` : `Client "${doc.name}" (${id}) unchanged.`]);
      });
    });

  client
    .command('list')
    .description('list every client (secrets are never shown)')
    .action(async () => {
      await withServices(globals().json, async ({ clients, out }) => {
        const docs = await clients.list();
        out.result(docs.map(clientJson), () =>
          docs.length === 0
            ? ['No clients.']
            : table(
                ['CLIENT ID', 'NAME', 'PRESET', 'TYPE', 'GRANTS', 'REDIRECT URIS'],
                docs.map((c) => [c._id, c.name, c.preset, c.type, c.grants.join(','), c.redirectUris.join(' ')]),
              ),
        );
      });
    });

  client
    .command('rotate-secret')
    .description('replace the secret (running providers drop the old one within CLIENT_CACHE_SECONDS); prints the new one once')
    .argument('<client_id>', 'the client')
    .action(async (id: string) => {
      await withServices(globals().json, async ({ clients, audit, out }) => {
        const secret = await clients.rotateSecret(id);
        await audit.record('cli', 'client.rotate_secret', id);
        out.result({ client_id: id, client_secret: secret }, () => [`client_id:     ${id}`, `client_secret: ${secret}`, '', ONCE]);
      });
    });

  client
    .command('delete')
    .description('delete a client and every token, code and consent issued to it')
    .argument('<client_id>', 'the client')
    .action(async (id: string) => {
      await withServices(globals().json, async ({ clients, audit, out }) => {
        const doc = await clients.require(id);
        await clients.delete(id);
        await audit.record('cli', 'client.delete', id, { name: doc.name });
        out.result({ client_id: id, name: doc.name, deleted: true }, () => [`Deleted client "${doc.name}" (${id}) and its tokens.`]);
      });
    });
}

/** Two clients with one name look alike on consent pages and in the admin console: refuse. */
async function refuseDuplicateName(clients: ClientStore, name: string, exceptId?: string): Promise<void> {
  const wanted = name.trim().toLowerCase();
  const clash = (await clients.list()).find((c) => c._id !== exceptId && c.name.trim().toLowerCase() === wanted);
  if (clash) throw new AppError('duplicate_client_name', `A client named "${clash.name}" already exists (client_id ${clash._id}); choose another name, or change that one with 'hrm-sso client edit ${clash._id}'.`, 409);
}

function withoutId(doc: ClientDoc) {
  const { client_id: _ignored, ...rest } = clientJson(doc);
  return rest;
}
