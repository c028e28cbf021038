// HTTP security headers (helmet): a CSP with no inline scripts, no framing, no referrer.
import helmet from 'helmet';
import type { Config } from '../../kernel/config';

export function securityHeaders(config: Config) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // data: for the two-factor QR code, https: for LOGO_URL and client logos.
        imgSrc: ["'self'", 'data:', 'https:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        // form-action is left open on purpose: Chromium applies it to the redirect that follows
        // a consent or login post, and that redirect goes to the client's registered URI.
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    strictTransportSecurity: config.secureCookies ? { maxAge: 15552000, includeSubDomains: false } : false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}
