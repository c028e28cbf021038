/**
 * /hrm check (admins): settings complete, provider reachable with its metadata, client
 * credentials accepted — both as the app sends them (HTTP Basic) and as the engine's
 * OAuth2Client sends them on the callback (query string) — and what to register.
 */
import { RequestContext } from '../core/context';
import { reply, Reply } from '../messages/reply';
import { probeClient, ProbeOutcome } from '../provider/clientProbe';
import { fetchMetadata, ServerMetadata } from '../provider/metadata';
import { Result } from '../lib/result';
import { inspectSettings, ProviderConfig } from '../settings/providerConfig';
import { readRawSettings } from '../settings/readSettings';

export const CLIENT_PRESET = 'rocketchat-app';
const OK = ':white_check_mark:';
const BAD = ':x:';
const WARN = ':warning:';

export function isAdmin(roles: readonly string[] | undefined): boolean {
    return (roles ?? []).includes('admin');
}

function metadataLines(config: ProviderConfig, metadata: Result<ServerMetadata>): string[] {
    if (!metadata.ok) {
        if (metadata.error.code === 'provider_http_error') {
            return [`${WARN} ${metadata.error.message} Django OAuth Toolkit serves no RFC 8414 metadata unless configured to; the checks below still test the provider.`];
        }
        return [`${BAD} Provider metadata (${config.metadataUrl}): ${metadata.error.message}`];
    }
    const lines = [`${OK} The provider is reachable and serves its metadata (issuer ${metadata.value.issuer}).`];
    const compare: Array<[string, string | undefined, string]> = [
        ['authorization endpoint', metadata.value.authorizationEndpoint, config.authorizeUrl],
        ['token endpoint', metadata.value.tokenEndpoint, config.tokenUrl],
        ['revocation endpoint', metadata.value.revocationEndpoint, config.revokeUrl],
        ['userinfo endpoint', metadata.value.userinfoEndpoint, config.userinfoUrl],
    ];
    for (const [label, advertised, configured] of compare) {
        if (advertised && advertised !== configured) {
            lines.push(`${WARN} The provider's ${label} is ${advertised} but the app uses ${configured}: check the path settings.`);
        }
    }
    return lines;
}

function basicProbeLine(probe: Result<ProbeOutcome>): string {
    if (!probe.ok) {
        return `${BAD} Testing the client credentials failed: ${probe.error.message}`;
    }
    switch (probe.value.verdict) {
        case 'accepted':
            return `${OK} The client ID and secret are accepted (a test grant got the healthy refusal ${probe.value.answer}).`;
        case 'rejected':
            return `${BAD} The provider rejects the client ID or secret (${probe.value.answer}): copy them again from the provider.`;
        default:
            return `${WARN} Unexpected answer when testing the client credentials: ${probe.value.answer}.`;
    }
}

function queryProbeLine(probe: Result<ProbeOutcome>): string {
    if (!probe.ok) {
        return `${BAD} Testing the login callback's token request failed: ${probe.error.message}`;
    }
    if (probe.value.verdict === 'accepted') {
        return `${OK} The provider accepts the login callback's token request (credentials in the query string, as the Apps-Engine sends them).`;
    }
    return `${BAD} The provider refuses the login callback's token request (${probe.value.answer}), so /hrm login cannot complete: register the client with the preset \`${CLIENT_PRESET}\`.`;
}

export async function check(ctx: RequestContext): Promise<Reply> {
    if (!isAdmin(ctx.user.roles)) {
        return reply('Sorry, only Rocket.Chat admins can run /hrm check. Ask an admin if HRM SSO does not work for you.');
    }
    const report = inspectSettings(await readRawSettings(ctx.read.getEnvironmentReader().getSettings()));
    await ctx.services.loadConfig(ctx.read);
    const redirectUri = await ctx.services.redirectUri(ctx.read);
    const lines = ['*HRM SSO check*'];
    if (report.missing.length > 0) {
        lines.push(`${BAD} Missing settings: ${report.missing.join(', ')}.`);
    }
    for (const problem of report.invalid) {
        lines.push(`${BAD} ${problem}`);
    }
    const config = report.config;
    if (config) {
        lines.push(`${OK} Settings are complete (provider ${config.providerUrl}, scopes "${config.scopes.join(' ')}").`);
        const [metadata, basic, query] = await Promise.all([
            fetchMetadata(ctx.http, config),
            probeClient(ctx.http, config, redirectUri, 'basic'),
            probeClient(ctx.http, config, redirectUri, 'query'),
        ]);
        lines.push(...metadataLines(config, metadata), basicProbeLine(basic), queryProbeLine(query));
    } else {
        lines.push('The provider was not contacted: fix the settings above first.');
    }
    lines.push(`Register this redirect URI for the app's client: ${redirectUri}`);
    lines.push(`Client preset: \`${CLIENT_PRESET}\` (it lets the provider accept the Apps-Engine's query-string credentials and token-only revocation for this client only).`);
    return reply(lines.join('\n'));
}
