// Where one-time account links point. The token travels in the query string, which the provider
// never logs (kernel/log.ts) and pages never leak (Referrer-Policy: no-referrer).
export const SET_PASSWORD_PATH = '/accounts/password/set/';

export function setPasswordUrl(issuer: string, token: string): string {
  return `${issuer}${SET_PASSWORD_PATH}?token=${encodeURIComponent(token)}`;
}
