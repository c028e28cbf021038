/** Usage of every subcommand. */
import { Subcommand, SUBCOMMANDS } from './parse';

export const USAGE: Record<Subcommand, string> = {
    login: '`/hrm login` — link your Rocket.Chat account to your HRM account',
    logout: '`/hrm logout` — unlink it and revoke the app\'s access at HRM',
    status: '`/hrm status` — show whether you are linked, as whom and until when',
    whoami: '`/hrm whoami` — show your HRM profile (name, username, email, department, job title)',
    check: '`/hrm check` — admins: test the provider, the client credentials and show the redirect URI',
    who: '`/hrm who @user` — a linked colleague\'s HRM card (name, job title, department, manager, photo) in a pop-up',
    find: '`/hrm find <text> [--page N]` — search the HRM directory by name, department or job title',
    help: '`/hrm help [subcommand]` — show this help',
};

export function helpText(topic?: Subcommand): string {
    if (topic) {
        return USAGE[topic];
    }
    return ['*HRM SSO* — connect your HRM account to Rocket.Chat:', ...SUBCOMMANDS.map((s) => `• ${USAGE[s]}`)].join('\n');
}

export function unknownSubcommandText(given: string): string {
    return `\`/hrm ${given}\` is not a subcommand I know.\n${helpText()}`;
}

export function extraArgumentsText(subcommand: Subcommand): string {
    const takes = subcommand === 'help' ? 'takes at most one subcommand name' : 'takes no arguments';
    return `\`/hrm ${subcommand}\` ${takes}. Usage: ${USAGE[subcommand]}`;
}
