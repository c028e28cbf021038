/** What a handler answers: one message, optionally with a link button. */
export interface Reply {
    readonly text: string;
    readonly button?: { readonly label: string; readonly url: string };
}

export function reply(text: string, button?: Reply['button']): Reply {
    return button ? { text, button } : { text };
}
