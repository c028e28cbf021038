// `client …`: OAuth clients. Secrets exist in clear only in this command's output.
import { Command, Option } from 'commander';
import type { ClientDoc, GrantType } from '../db/schema';
import { PRESETS } from '../store/clients';
import { clientJson, table } from './output';
import { withServices } from './context';
import type { GlobalOptions } from './main';

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
}

const ONCE = 'Store the secret now: it is shown only this once (rotate it with `client rotate-secret` if lost).';

const collect = (value: string, previous: string[]) => [...previous, value];
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
    .option('--post-logout-redirect-uri <uri>', 'OpenID Connect: where the browser may return after sign-out, matched exactly (repeat for several)', collect, [])
    .option('--revoke-tokens-on-logout', 'OpenID Connect: sign-out at this client also revokes its tokens for the user')
    .option('--allowed-origin <origin>', 'CORS: https origin of a browser app that may call the token, revocation and userinfo endpoints (repeat for several)', collect, [])
    .action(async (opts: CreateOptions) => {
      await withServices(globals().json, async ({ clients, audit, out }) => {
        const { client: doc, clientSecret } = await clients.create({
          name: opts.name,
          redirectUris: opts.redirectUri,
          type: opts.type,
          grants: opts.grants as GrantType[] | undefined,
          preset: opts.preset,
          skipAuthorization: Boolean(opts.skipAuthorization),
          requirePkce: opts.requirePkce ? true : undefined,
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
    .description('replace the secret (the old one stops working at once); prints the new one once')
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

function withoutId(doc: ClientDoc) {
  const { client_id: _ignored, ...rest } = clientJson(doc);
  return rest;
}
