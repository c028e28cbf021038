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

const WHO_USAGE = 'Usage: `/hrm who @username`';
const FIND_USAGE = 'Usage: `/hrm find <name, department or job title> [--page N]`';

function failureReply(code: string, message: string): Reply {
    if (code === 'not_linked' || code === 'session_expired' || code === 'token_rejected' || code === 'insufficient_scope' || code === 'rate_limited') {
        return reply(message);
    }
    return reply(`Could not read the HRM directory: ${message.charAt(0).toLowerCase()}${message.slice(1)}`);
}

export async function who(ctx: RequestContext, args: readonly string[]): Promise<Reply> {
    if (args.length !== 1 || !/^@?[\w.-]{1,64}$/.test(args[0])) {
        return reply(WHO_USAGE);
    }
    const name = args[0].replace(/^@/, '');
    const config = await ctx.services.loadConfig(ctx.read);
    if (!config.ok) {
        return reply(config.error.message);
    }
    const target = await ctx.read.getUserReader().getByUsername(name);
    if (!target) {
        return reply(`There is no Rocket.Chat user @${name}.`);
    }
    const identity = await readIdentity(ctx.read.getPersistenceReader(), target.id);
    if (!identity) {
        return reply(`@${name} has not linked an HRM account, so there is no HRM card for them.`);
    }
    const result = await withAccessToken(ctx, config.value, (http, token) => fetchColleague(http, config.value, token, identity.username ?? identity.sub));
    if (!result.ok) {
        return failureReply(result.error.code, result.error.message);
    }
    const colleague = result.value.value;
    if (!colleague) {
        return reply(`@${name} is not in the HRM directory (they may have left).`);
    }
    return cardReply(cardLines(colleague).join('\n'), colleague, colleague.picture ? { url: colleague.picture, alt: `Photo of ${colleague.name ?? colleague.username}` } : undefined);
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
        return reply(FIND_USAGE);
    }
    const config = await ctx.services.loadConfig(ctx.read);
    if (!config.ok) {
        return reply(config.error.message);
    }
    const result = await withAccessToken(ctx, config.value, (http, token) => searchDirectory(http, config.value, token, parsed.q, parsed.page));
    if (!result.ok) {
        return failureReply(result.error.code, result.error.message);
    }
    return reply(resultsText(result.value.value));
}
