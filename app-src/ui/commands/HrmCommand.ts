/**
 * The /hrm slash command: a dispatcher over small subcommand handlers. Every reply is
 * ephemeral (a colleague card opens as a modal when Rocket.Chat sends a triggerId), and
 * nothing escapes: an unexpected error becomes one sentence for the user and
 * a log line without secrets for the admin.
 */
import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import { RequestContext } from '../../core/context';
import { HrmServices } from '../../core/context';
import { deliverReply } from '../messages/deliver';
import { reply, Reply } from '../messages/reply';
import { check } from './check';
import { extraArgumentsText, helpText, unknownSubcommandText } from './help';
import { login } from './login';
import { logout } from './logout';
import { parseCommand, ParsedCommand } from './parse';
import { status } from './status';
import { whoami } from './whoami';
import { find, who } from './directory';
import { approve, deny } from './approve';
import { t, userLanguage } from '../i18n/translate';

type Handler = (ctx: RequestContext, args: readonly string[]) => Promise<Reply>;

const HANDLERS: Record<Extract<ParsedCommand, { kind: 'run' }>['subcommand'], Handler> = { login, logout, status, whoami, check, who, find, approve, deny };

export class HrmCommand implements ISlashCommand {
    public command = 'hrm';
    public i18nParamsExample = 'hrm-command-params';
    public i18nDescription = 'hrm-command-description';
    public providesPreview = false;

    constructor(private readonly services: HrmServices) {}

    public async executor(context: SlashCommandContext, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<void> {
        const user = context.getSender();
        const room = context.getRoom();
        const parsed = parseCommand(context.getArguments());
        let answer: Reply;
        const lang = userLanguage(user);
        try {
            answer = await this.answer(parsed, { services: this.services, user, room, read, modify, http, persis, now: Date.now(), lang });
        } catch (error) {
            const name = parsed.kind === 'run' ? parsed.subcommand : 'help';
            this.services.logger().error(`/hrm ${name} failed for user ${user.id}: ${describeError(error)}`);
            answer = reply(t(lang, 'command-failed', { name }));
        }
        try {
            await deliverReply(read, modify, user, room, answer, context.getTriggerId(), (error) =>
                this.services.logger().error(`Could not open the HRM card for user ${user.id}, sending it as a message: ${describeError(error)}`),
            );
        } catch (error) {
            this.services.logger().error(`Could not send the /hrm reply to user ${user.id}: ${describeError(error)}`);
        }
    }

    private async answer(parsed: ParsedCommand, ctx: RequestContext): Promise<Reply> {
        switch (parsed.kind) {
            case 'run':
                return HANDLERS[parsed.subcommand](ctx, parsed.args ?? []);
            case 'help':
                return reply(helpText(parsed.topic, ctx.lang));
            case 'unknown':
                return reply(unknownSubcommandText(parsed.given, ctx.lang));
            case 'extra_arguments':
                return reply(extraArgumentsText(parsed.subcommand, ctx.lang));
        }
    }
}

/** Error name and message only: stacks and causes can hold request details. */
export function describeError(error: unknown): string {
    if (error && typeof error === 'object' && typeof (error as Error).message === 'string') {
        const { name, message } = error as Error;
        return `${typeof name === 'string' ? name : 'Error'}: ${message}`.slice(0, 300);
    }
    return 'a non-Error value was thrown';
}
