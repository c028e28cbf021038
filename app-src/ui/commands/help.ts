/** Usage of every subcommand, in the user's language. */
import { t } from '../i18n/translate';
import { Subcommand, SUBCOMMANDS } from './parse';

export function usage(subcommand: Subcommand, lang = 'en'): string {
    return t(lang, `usage-${subcommand}`);
}

export function helpText(topic?: Subcommand, lang = 'en'): string {
    if (topic) {
        return usage(topic, lang);
    }
    return [t(lang, 'help-intro'), ...SUBCOMMANDS.map((s) => `• ${usage(s, lang)}`)].join('\n');
}

export function unknownSubcommandText(given: string, lang = 'en'): string {
    return `${t(lang, 'unknown-subcommand', { given })}\n${helpText(undefined, lang)}`;
}

export function extraArgumentsText(subcommand: Subcommand, lang = 'en'): string {
    return t(lang, subcommand === 'help' ? 'extra-arguments-help' : 'extra-arguments-none', { subcommand, usage: usage(subcommand, lang) });
}
