/**
 * /hrm check (admins): settings complete, provider reachable, which kind of provider it is
 * (this project's provider serves RFC 8414 metadata; an unmodified Django OAuth Toolkit does
 * not), client credentials accepted as the login callback sends them (HTTP Basic, form body),
 * and how to register the app's client at that kind of provider.
 */
import { RequestContext } from '../../core/context';
import { reply, Reply } from '../messages/reply';
import { probeClient, ProbeOutcome } from '../../features/provider-api/clientProbe';
import { fetchMetadata, ServerMetadata } from '../../features/provider-api/metadata';
import { Result } from '../../core/result';
import { inspectSettings, ProviderConfig } from '../../infra/settings/providerConfig';
import { readRawSettings } from '../../infra/settings/readSettings';
import { statusEndpointLine } from '../../features/hr/statusProbe';

export const CLIENT_PRESET = 'rocketchat-app';
const OK = ':white_check_mark:';
const BAD = ':x:';
const WARN = ':warning:';

export type ProviderKind = 'metadata' | 'no_metadata' | 'unknown';

export function isAdmin(roles: readonly string[] | undefined): boolean {
    return (roles ?? []).includes('admin');
}

/** No RFC 8414 document (HTTP 404) is what an unmodified Django OAuth Toolkit answers. */
export function providerKind(metadata: Result<ServerMetadata>): ProviderKind {
    if (metadata.ok) {
        return 'metadata';
    }
    return metadata.error.code === 'provider_http_error' ? 'no_metadata' : 'unknown';
}

function metadataLines(config: ProviderConfig, metadata: Result<ServerMetadata>): string[] {
    if (!metadata.ok) {
        if (metadata.error.code === 'provider_http_error') {
            return [`${OK} The provider is reachable. It serves no RFC 8414 metadata (${config.metadataUrl}), as an unmodified Django OAuth Toolkit does: treating it as Django OAuth Toolkit.`];
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

function probeLine(probe: Result<ProbeOutcome>): string {
    if (!probe.ok) {
        return `${BAD} Testing the client credentials failed: ${probe.error.message}`;
    }
    switch (probe.value.verdict) {
        case 'accepted':
            return `${OK} The client ID and secret are accepted, sent as the login sends them (HTTP Basic, form body; a test grant got the healthy refusal ${probe.value.answer}).`;
        case 'rejected':
            return `${BAD} The provider rejects the client ID or secret (${probe.value.answer}): copy them again from the provider.`;
        default:
            return `${WARN} Unexpected answer when testing the client credentials: ${probe.value.answer}.`;
    }
}

function registrationAdvice(kind: ProviderKind, redirectUri: string): string[] {
    if (kind === 'no_metadata') {
        return [
            'Django OAuth Toolkit: register the app as an Application (Django admin → Django OAuth Toolkit → Applications → Add, or /o/applications/register/) with',
            `• Client type: Confidential • Authorization grant type: Authorization code • Redirect uris: ${redirectUri}`,
            '• Hash client secret: on (copy the secret before saving) • Algorithm: No OIDC support',
            'No change to DOT is needed: the app authenticates with HTTP Basic and form bodies, and revokes with client authentication.',
        ];
    }
    return [
        `Register this redirect URI for the app's client: ${redirectUri}`,
        `This project's provider: create the client with the preset \`${CLIENT_PRESET}\` (it shows the consent page on every login and sets the app's token lifetimes).`,
    ];
}

export async function check(ctx: RequestContext): Promise<Reply> {
    if (!isAdmin(ctx.user.roles)) {
        return reply('Sorry, only Rocket.Chat admins can run /hrm check. Ask an admin if HRM SSO does not work for you.');
    }
    const report = inspectSettings(await readRawSettings(ctx.services.settings.view(ctx.read.getEnvironmentReader().getSettings())));
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
    let kind: ProviderKind = 'unknown';
    if (config) {
        lines.push(`${OK} Settings are complete (provider ${config.providerUrl}, scopes "${config.scopes.join(' ')}").`);
        const [metadata, probe, hr] = await Promise.all([fetchMetadata(ctx.http, config), probeClient(ctx.http, config, redirectUri), statusEndpointLine(ctx.http, config)]);
        kind = providerKind(metadata);
        lines.push(...metadataLines(config, metadata), probeLine(probe), hr);
    } else {
        lines.push('The provider was not contacted: fix the settings above first.');
    }
    if (kind === 'no_metadata') {
        lines.push(`Register this redirect URI for the app's client: ${redirectUri}`);
    }
    lines.push(...registrationAdvice(kind, redirectUri));
    return reply(lines.join('\n'));
}
