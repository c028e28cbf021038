/** What a handler answers: one message, optionally with a link button. */
export interface Reply {
    readonly text: string;
    readonly button?: { readonly label: string; readonly url: string };
    /** Shown beside the text (a colleague's photo). */
    readonly image?: { readonly url: string; readonly alt: string };
}

export function reply(text: string, button?: Reply['button'], image?: Reply['image']): Reply {
    return { text, ...(button ? { button } : {}), ...(image ? { image } : {}) };
}
