/** What a handler answers: one message, optionally with a link button. */
import type { Colleague } from '../../features/directory/client';

export interface Reply {
    readonly text: string;
    readonly button?: { readonly label: string; readonly url: string };
    /** Shown beside the text (a colleague's photo). */
    readonly image?: { readonly url: string; readonly alt: string };
    /** A colleague card: opened as a modal when possible, else `text` (and `image`) is sent. */
    readonly card?: Colleague;
    /** The language the card's modal is written in. */
    readonly lang?: string;
}

export function reply(text: string, button?: Reply['button'], image?: Reply['image']): Reply {
    return { text, ...(button ? { button } : {}), ...(image ? { image } : {}) };
}

/** A colleague's card, with its message form as the fallback. */
export function cardReply(text: string, card: Colleague, image?: Reply['image'], lang = 'en'): Reply {
    return { ...reply(text, undefined, image), card, lang };
}
