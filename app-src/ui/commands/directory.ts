/**
 * /hrm who @user — a colleague's HR card; /hrm find <text> [--page N] — search the directory.
 * Both read the provider's directory with the asking user's own token (scope hrm), so they
 * need the asker to be linked; `who` also needs the colleague to be linked (the link names
 * their HRM account).
 */
import { RequestContext } from '../../core/context';
import { cardReply, reply, Reply } from '../messages/reply';
import { withAccessToken } from '../../features/oauth/session';
import { readIdentity } from '../../infra/storage/identities';
import { fetchColleague, searchDirectory } from '../../features/directory/client';
import { cardLines, resultsText } from '../messages/directoryFormat';
import { t } from '../i18n/translate';
import { errorText } from '../messages/errors';
import { AppError } from '../../core/result';


function failureReply(lang: string, error: AppError): Reply {
    const code = error.code;
    if (code === 'not_linked' || code === 'session_expired' || code === 'token_rejected' || code === 'insufficient_scope' || code === 'rate_limited') {
        return reply(errorText(lang, error));
    }
    return reply(t(lang, 'directory-failed', { reason: `${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}` }));
}

export async function who(ctx: RequestContext, args: readonly string[]): Promise<Reply> {
    if (args.length !== 1 || !/^@?[\w.-]{1,64}$/.test(args[0])) {
        return reply(t(ctx.lang, 'who-usage'));
    }
    const name = args[0].replace(/^@/, '');
    const config = await ctx.services.loadConfig(ctx.read);
    if (!config.ok) {
        return reply(config.error.message);
    }
    const target = await ctx.read.getUserReader().getByUsername(name);
    if (!target) {
        return reply(t(ctx.lang, 'who-no-user', { name }));
    }
    const identity = await readIdentity(ctx.read.getPersistenceReader(), target.id);
    if (!identity) {
        return reply(t(ctx.lang, 'who-not-linked', { name }));
    }
    const result = await withAccessToken(ctx, config.value, (http, token) => fetchColleague(http, config.value, token, identity.username ?? identity.sub));
    if (!result.ok) {
        return failureReply(ctx.lang, result.error);
    }
    const colleague = result.value.value;
    if (!colleague) {
        return reply(t(ctx.lang, 'who-not-in-directory', { name }));
    }
    return cardReply(cardLines(colleague, ctx.lang).join('\n'), colleague, colleague.picture ? { url: colleague.picture, alt: t(ctx.lang, 'card-photo', { name: colleague.name ?? colleague.username }) } : undefined, ctx.lang);
}

export function parseFind(args: readonly string[]): { q: string; page: number } | undefined {
    const words = [...args];
    let page = 1;
    const flag = words.indexOf('--page');
    if (flag >= 0) {
        const n = Number(words[flag + 1]);
        if (!Number.isInteger(n) || n < 1 || n > 1000 || flag + 2 !== words.length) {
            return undefined;
        }
        page = n;
        words.splice(flag, 2);
    }
    const q = words.join(' ').trim();
    return q.length > 0 && q.length <= 100 ? { q, page } : undefined;
}

export async function find(ctx: RequestContext, args: readonly string[]): Promise<Reply> {
    const parsed = parseFind(args);
    if (!parsed) {
        return reply(t(ctx.lang, 'find-usage'));
    }
    const config = await ctx.services.loadConfig(ctx.read);
    if (!config.ok) {
        return reply(config.error.message);
    }
    const result = await withAccessToken(ctx, config.value, (http, token) => searchDirectory(http, config.value, token, parsed.q, parsed.page));
    if (!result.ok) {
        return failureReply(ctx.lang, result.error);
    }
    return reply(resultsText(result.value.value, ctx.lang));
}
