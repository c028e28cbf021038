// Login and token endpoint rate limits; counters in MongoDB so all instances share them.
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import type { Request, Response } from 'express';
import type { Config } from '../config';
import type { Database } from '../db/connect';
import type { Logger } from '../log';
import { MongoRateLimitStore } from './rate-limit-store';

export function createRateLimiters(config: Config, db: Database, log: Logger) {
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const retryAfter = (res: Response) => Number(res.getHeader('Retry-After') ?? config.RATE_LIMIT_WINDOW_SECONDS);
  const login = rateLimit({
    windowMs,
    limit: config.LOGIN_RATE_LIMIT,
    // Only failed attempts count: a user who signs in often is never locked out.
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new MongoRateLimitStore(db, 'login:'),
    keyGenerator: (req: Request) => `${ipKeyGenerator(req.ip ?? '')}|${typeof req.body?.username === 'string' ? req.body.username.toLowerCase().slice(0, 100) : ''}`,
    handler: (req: Request, res: Response) => {
      log.warn({ event: 'login_rate_limited', ip: req.ip }, 'too many login attempts');
      res.status(429).render('login.njk', {
        next: typeof req.body?.next === 'string' ? req.body.next : '',
        username: typeof req.body?.username === 'string' ? req.body.username : '',
        error: `Too many sign-in attempts. Wait ${Math.ceil(retryAfter(res) / 60)} minute(s) and try again.`,
      });
    },
  });
  const token = rateLimit({
    windowMs,
    limit: config.TOKEN_RATE_LIMIT,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new MongoRateLimitStore(db, 'token:'),
    keyGenerator: (req: Request) => ipKeyGenerator(req.ip ?? ''),
    handler: (req: Request, res: Response) => {
      log.warn({ event: 'token_rate_limited', ip: req.ip }, 'too many token endpoint requests');
      res.status(429).set('Cache-Control', 'no-store').json({ error: 'temporarily_unavailable', error_description: 'Too many requests; retry later.' });
    },
  });
  return { login, token };
}
