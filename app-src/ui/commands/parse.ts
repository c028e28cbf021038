/** Parsing `/hrm …` arguments into what to run. Pure; unit-tested. */
export const SUBCOMMANDS = ['login', 'logout', 'status', 'whoami', 'check', 'who', 'find', 'approve', 'deny', 'help'] as const;

/** Subcommands that take arguments (the rest take none). */
export const WITH_ARGUMENTS: readonly Subcommand[] = ['who', 'find', 'approve', 'deny'];

export type Subcommand = (typeof SUBCOMMANDS)[number];

export type ParsedCommand =
    | { readonly kind: 'run'; readonly subcommand: Exclude<Subcommand, 'help'>; readonly args?: readonly string[] }
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
    if (WITH_ARGUMENTS.includes(first)) {
        return { kind: 'run', subcommand: first, args: words.slice(1) };
    }
    if (words.length > 1) {
        return { kind: 'extra_arguments', subcommand: first };
    }
    return { kind: 'run', subcommand: first };
}
