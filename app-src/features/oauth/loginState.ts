/**
 * The OAuth `state` the app sends: `<Rocket.Chat user id>.<one-time nonce>`. The engine puts
 * the bare user id there; /hrm login appends the nonce of the user's pending login, and the
 * guarded callback (callbackGuard.ts) checks it and hands the engine the bare user id again.
 */
const NONCE = /^[A-Za-z0-9_-]{32,128}$/;
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface LoginState {
    readonly userId: string;
    readonly nonce: string;
}

export function encodeLoginState(userId: string, nonce: string): string {
    return `${userId}.${nonce}`;
}

/** undefined for anything that is not exactly a user id and a nonce. */
export function parseLoginState(state: unknown): LoginState | undefined {
    if (typeof state !== 'string' || state.length > 200) {
        return undefined;
    }
    const dot = state.lastIndexOf('.');
    const userId = state.slice(0, dot);
    const nonce = state.slice(dot + 1);
    return dot > 0 && USER_ID.test(userId) && NONCE.test(nonce) ? { userId, nonce } : undefined;
}
