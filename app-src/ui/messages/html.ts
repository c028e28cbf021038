/** The pages the browser shows after the OAuth callback. */
function escapeHtml(value: string): string {
    return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c] as string));
}

function page(title: string, body: string): string {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
        + `<title>${escapeHtml(title)}</title></head>`
        + `<body style="font-family:system-ui,sans-serif;display:flex;align-items:center;justify-content:center;min-height:90vh;margin:0">`
        + `<main style="max-width:32rem;text-align:center"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></main></body></html>`;
}

export function linkedPage(who: string): string {
    return page('HRM account linked', `Your Rocket.Chat account is now linked to HRM as ${who}. You can close this tab and go back to Rocket.Chat.`);
}

export function cancelledPage(): string {
    return page('HRM login cancelled', 'No HRM account was linked. Run /hrm login in Rocket.Chat to try again.');
}

export function invalidLinkPage(): string {
    return page('HRM login link not valid', 'This login link is not valid, was already used or has expired, so nothing was changed. Run /hrm login in Rocket.Chat for a new link.');
}
