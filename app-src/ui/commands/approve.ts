/**
 * /hrm approve [@user] and /hrm deny @user (admins): the links waiting because the HRM account
 * does not match the chat account by verified email (setting "Let admins approve links whose
 * email does not match"). Approving lets exactly that pair link at the user's next /hrm login.
 */
import { RequestContext } from '../../core/context';
import { listPendingLinks, PendingLink, readPendingLink, removePendingLink, savePendingLink } from '../../infra/storage/pendingLinks';
import { t } from '../i18n/translate';
import { describeIdentity, formatDate } from '../messages/format';
import { reply, Reply } from '../messages/reply';
import { isAdmin } from './check';

const MAX_LISTED = 20;

function hrmAccount(link: PendingLink): string {
    return describeIdentity({ sub: link.sub, name: link.hrmName, username: link.hrmUsername, email: link.hrmEmail });
}

function target(args: readonly string[]): string | undefined {
    return args.length === 1 && /^@?[\w.-]{1,64}$/.test(args[0]) ? args[0].replace(/^@/, '') : undefined;
}

async function pendingFor(ctx: RequestContext, username: string): Promise<PendingLink | undefined> {
    const user = await ctx.read.getUserReader().getByUsername(username);
    return user ? readPendingLink(ctx.read.getPersistenceReader(), user.id) : undefined;
}

export async function approve(ctx: RequestContext, args: readonly string[]): Promise<Reply> {
    if (!isAdmin(ctx.user.roles)) {
        return reply(t(ctx.lang, 'approve-admin-only'));
    }
    if (args.length === 0) {
        const waiting = (await listPendingLinks(ctx.read.getPersistenceReader())).filter((l) => !l.approvedAt);
        if (waiting.length === 0) {
            return reply(t(ctx.lang, 'approve-none'));
        }
        const lines = waiting.slice(0, MAX_LISTED).map((l) =>
            t(ctx.lang, 'approve-item', { username: l.chatUsername ?? l.userId, who: hrmAccount(l), date: formatDate(l.requestedAt, ctx.user.utcOffset, ctx.lang) }),
        );
        return reply([t(ctx.lang, 'approve-list'), ...lines].join('\n'));
    }
    const username = target(args);
    if (!username) {
        return reply(t(ctx.lang, 'approve-usage'));
    }
    const link = await pendingFor(ctx, username);
    if (!link) {
        return reply(t(ctx.lang, 'approve-nothing-for', { username }));
    }
    await savePendingLink(ctx.persis, { ...link, approvedBy: ctx.user.id, approvedAt: ctx.now });
    ctx.services.logger().info(`Admin ${ctx.user.id} approved linking user ${link.userId} to HRM subject ${link.sub}.`);
    return reply(t(ctx.lang, 'approve-done', { username, who: hrmAccount(link) }));
}

export async function deny(ctx: RequestContext, args: readonly string[]): Promise<Reply> {
    if (!isAdmin(ctx.user.roles)) {
        return reply(t(ctx.lang, 'approve-admin-only'));
    }
    const username = target(args);
    if (!username) {
        return reply(t(ctx.lang, 'approve-usage'));
    }
    const link = await pendingFor(ctx, username);
    if (!link) {
        return reply(t(ctx.lang, 'approve-nothing-for', { username }));
    }
    await removePendingLink(ctx.persis, link.userId);
    ctx.services.logger().info(`Admin ${ctx.user.id} refused linking user ${link.userId} to HRM subject ${link.sub}.`);
    return reply(t(ctx.lang, 'deny-done', { username, who: hrmAccount(link) }));
}
