// Whether the issuer can work for people on other machines: Rocket.Chat servers and browsers must
// reach it, and cookies need https. Shown as a banner on admin pages and the Connect Rocket.Chat page.
import net from 'node:net';

function privateAddress(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (net.isIPv4(h)) {
    const [a, b] = h.split('.').map(Number);
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 0;
  }
  if (net.isIPv6(h)) return h === '::1' || /^f[cd]/i.test(h) || /^fe80/i.test(h);
  return false;
}

export interface IssuerProblem {
  /** not_url: ISSUER does not parse; private: a local/private address; not_https: plain http. */
  code: 'not_url' | 'private' | 'not_https';
  issuer: string;
  origin: string;
}

/** What is wrong with the issuer for real use (a code the admin pages translate), or undefined. */
export function issuerProblem(issuer: string): IssuerProblem | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return { code: 'not_url', issuer, origin: issuer };
  }
  const host = url.hostname;
  const local = host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal') || privateAddress(host);
  if (local) return { code: 'private', issuer, origin: url.origin };
  if (url.protocol !== 'https:') return { code: 'not_https', issuer, origin: url.origin };
  return undefined;
}

/** A sentence saying what is wrong with the issuer for real use, or undefined when nothing is (English). */
export function issuerWarning(issuer: string): string | undefined {
  const problem = issuerProblem(issuer);
  if (!problem) return undefined;
  if (problem.code === 'not_url') return `The issuer "${issuer}" is not a URL.`;
  if (problem.code === 'private') {
    return `The issuer ${problem.origin} is a local or private address: Rocket.Chat servers and people's browsers elsewhere cannot reach it. Set ISSUER to the provider's public https URL before connecting Rocket.Chat.`;
  }
  return `The issuer ${problem.origin} is not https: sign-in cookies and tokens would travel unencrypted. Set ISSUER to an https:// URL (behind a TLS-terminating proxy).`;
}
