// Rate limits: token-endpoint requests per client IP, and password guessing (sign-in form and
// password grant) per IP and per account. Counters live in the database (rate-limit-store.ts),
// so every instance shares them, and they hold under any concurrency.
import crypto from 'node:crypto';
import { ipKeyGenerator } from 'express-rate-limit';
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../../kernel/config';
import type { Database } from '../../db/connect';
import type { Logger } from '../../kernel/log';
import { SlotLimiter } from '../../store/rate-limits';
import { LoginGuard } from './rate-limit-login';

/** The client's address with IPv6 reduced to its /56 network (one host owns many addresses). */
export function clientIpKey(req: Request): string {
  return ipKeyGenerator(req.ip ?? '');
}

/** The token endpoint's 429, RFC 6749-shaped, with Retry-After. */
export function sendTooManyRequests(res: Response, retryAfterSeconds: number): void {
  res
    .status(429)
    .set({ 'Cache-Control': 'no-store', 'Retry-After': String(retryAfterSeconds) })
    .json({ error: 'temporarily_unavailable', error_description: 'Too many requests; retry later.' });
}

/** `keySecret`: the session secret(s); the first keys the account HMACs (a rotation starts the counters afresh). */
export function createRateLimiters(config: Config, db: Database, log: Logger, keySecret: string | string[]) {
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const tokenLimiter = new SlotLimiter(db, { prefix: 'token:', limit: config.TOKEN_RATE_LIMIT, windowMs, leases: true });
  const loginGuard = new LoginGuard(
    new SlotLimiter(db, { prefix: 'login-ip:', limit: config.LOGIN_IP_RATE_LIMIT, windowMs, leases: true }),
    new SlotLimiter(db, { prefix: 'login-account:', limit: config.LOGIN_RATE_LIMIT, windowMs, leases: false }),
    crypto.createHash('sha256').update(`rate-limit-keys:${[keySecret].flat()[0]}`).digest('base64url'),
  );

  const token = async (req: Request, res: Response, next: NextFunction) => {
    const decision = await tokenLimiter.take(clientIpKey(req));
    if (decision.allowed) return next();
    log.warn({ event: 'token_rate_limited', ip: req.ip }, 'too many token endpoint requests');
    sendTooManyRequests(res, decision.retryAfterSeconds);
  };
  return { token, loginGuard };
}
