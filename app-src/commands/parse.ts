/** Parsing `/hrm …` arguments into what to run. Pure; unit-tested. */
export const SUBCOMMANDS = ['login', 'logout', 'status', 'whoami', 'check', 'help'] as const;

export type Subcommand = (typeof SUBCOMMANDS)[number];

export type ParsedCommand =
    | { readonly kind: 'run'; readonly subcommand: Exclude<Subcommand, 'help'> }
    | { readonly kind: 'help'; readonly topic?: Subcommand }
    | { readonly kind: 'unknown'; readonly given: string }
    | { readonly kind: 'extra_arguments'; readonly subcommand: Subcommand };

function isSubcommand(value: string): value is Subcommand {
    return (SUBCOMMANDS as readonly string[]).includes(value);
}

export function parseCommand(args: readonly string[]): ParsedCommand {
    const words = args.map((a) => a.trim()).filter((a) => a.length > 0);
    if (words.length === 0) {
        return { kind: 'help' };
    }
    const first = words[0].toLowerCase();
    if (!isSubcommand(first)) {
        return { kind: 'unknown', given: words[0].slice(0, 40) };
    }
    if (first === 'help') {
        if (words.length === 1) {
            return { kind: 'help' };
        }
        const topic = words[1].toLowerCase();
        return words.length === 2 && isSubcommand(topic) ? { kind: 'help', topic } : { kind: 'extra_arguments', subcommand: 'help' };
    }
    if (words.length > 1) {
        return { kind: 'extra_arguments', subcommand: first };
    }
    return { kind: 'run', subcommand: first };
}
