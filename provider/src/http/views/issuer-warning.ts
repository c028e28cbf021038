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

/** A sentence saying what is wrong with the issuer for real use, or undefined when nothing is. */
export function issuerWarning(issuer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return `The issuer "${issuer}" is not a URL.`;
  }
  const host = url.hostname;
  const local = host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal') || privateAddress(host);
  if (local) {
    return `The issuer ${url.origin} is a local or private address: Rocket.Chat servers and people's browsers elsewhere cannot reach it. Set ISSUER to the provider's public https URL before connecting Rocket.Chat.`;
  }
  if (url.protocol !== 'https:') {
    return `The issuer ${url.origin} is not https: sign-in cookies and tokens would travel unencrypted. Set ISSUER to an https:// URL (behind a TLS-terminating proxy).`;
  }
  return undefined;
}
