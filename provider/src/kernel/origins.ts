// Allowed origins for per-client CORS (oidc/cors.ts): https, exact scheme://host[:port].
import { AppError } from './errors';

/** A registered origin: https, scheme://host[:port] exactly, nothing after it. */
export function validateAllowedOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new AppError('invalid_origin', `Allowed origin "${origin}" is not a URL.`);
  }
  if (url.protocol !== 'https:') throw new AppError('invalid_origin', `Allowed origin "${origin}" must use https.`);
  if (url.origin !== origin) throw new AppError('invalid_origin', `Allowed origin "${origin}" must be exactly scheme://host[:port], e.g. "${url.origin}".`);
  return origin;
}
