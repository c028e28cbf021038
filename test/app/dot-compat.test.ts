/**
 * Django OAuth Toolkit wants client authentication on revocation, where the engine's
 * OAuth2Client sends the token alone. In front of the real provider's revoke endpoint sits a
 * DOT-like gate that refuses token-only requests; /hrm logout must still revoke both tokens.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { AppHost } from '../support/apphost/AppHost';
import { introspect } from '../support/apphost/providerProbe';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { startTestProvider, TestProvider } from '../support/provider';

const ADA = { username: 'ada', email: 'ada@example.test', name: 'Ada Lovelace', password: 'correct horse battery staple' };

interface Gate {
    url: string;
    seen: Array<{ authorization?: string; hint?: string }>;
    stop(): Promise<void>;
}

/** Refuses revocation without HTTP Basic (as DOT does), forwards the rest to the provider. */
async function startRevocationGate(target: string): Promise<Gate> {
    const seen: Gate['seen'] = [];
    const server = http.createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) {
            chunks.push(chunk as Buffer);
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const authorization = req.headers.authorization;
        seen.push({ authorization, hint: new URLSearchParams(body).get('token_type_hint') ?? undefined });
        if (!authorization?.startsWith('Basic ')) {
            res.writeHead(401, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ error: 'invalid_client' }));
            return;
        }
        const upstream = await fetch(target, { method: 'POST', headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' }, body });
        res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' });
        res.end(await upstream.text());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}/o/revoke_token/`,
        seen,
        stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

describe('revocation against a provider that requires client authentication', () => {
    let provider: TestProvider;
    let host: AppHost;
    let gate: Gate;
    let introspector: { client_id: string; client_secret: string };

    beforeAll(async () => {
        provider = await startTestProvider();
        gate = await startRevocationGate(`${provider.baseUrl}/o/revoke_token/`);
        host = await AppHost.start();
        host.addUser({ id: 'rc-ada', username: 'ada', email: 'ada@example.test', name: 'Ada Lovelace' });
        const client = await provider.createClient({ name: 'Rocket.Chat app', redirectUris: [`${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`], preset: 'rocketchat-app' });
        introspector = await provider.createClient({ name: 'Resource server', redirectUris: ['https://rs.example.test/cb'], preset: 'generic' });
        await provider.createUser(ADA);
        await host.setSetting('hrm-provider-url', provider.baseUrl);
        await host.setSetting('hrm-oauth-client-id', client.client_id);
        await host.setSetting('hrm-oauth-clientsecret', client.client_secret);
    }, 120_000);

    afterAll(async () => {
        await host?.stop();
        await gate?.stop();
        await provider?.stop();
    });

    test('logout revokes both tokens with HTTP Basic (no token-only revocation)', async () => {
        const [reply] = await host.command(host.user('rc-ada'), 'login');
        const response = await host.followRedirect(await authorizeWithForms(reply.buttonUrls[0], ADA));
        expect(response.status).toBe(200);
        const tokens = host.record('rc-ada', 'hrm-oauth-connection') as { token: string; refreshToken: string };

        // An absolute revoke URL in the setting; applied without reinstalling.
        await host.setSetting('hrm-revoke-path', gate.url);
        const text = await host.say(host.user('rc-ada'), 'logout');
        expect(text).toBe("Unlinked from Ada Lovelace (ada, ada@example.test): the app's access to your HRM account was revoked.");

        // Never the engine's token-only ?token=… revocation: both tokens with HTTP Basic.
        expect(gate.seen.map((s) => [s.authorization ? 'basic' : 'none', s.hint])).toEqual([
            ['basic', 'refresh_token'],
            ['basic', 'access_token'],
        ]);
        expect((await introspect(provider.baseUrl, introspector, tokens.token)).active).toBe(false);
        expect((await introspect(provider.baseUrl, introspector, tokens.refreshToken)).active).toBe(false);
        expect(host.recordsOf('rc-ada')).toEqual([]);
    });
});
