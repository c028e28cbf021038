// Prometheus metrics (prom-client) for GET /metrics. One registry per process. Other modules may
// count their own events through `metrics` (e.g. `metrics.tokensIssued.inc({ grant_type })`);
// the HTTP middleware below already derives requests, latency, tokens issued per grant, login
// failures and rate-limit hits from each response, so no route needs to know about metrics.
import crypto from 'node:crypto';
import client from 'prom-client';
import type { NextFunction, Request, Response } from 'express';
import type { MongoClient } from 'mongodb';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'hrm_sso_' });

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const metrics = {
  httpRequests: new client.Counter({ name: 'hrm_sso_http_requests_total', help: 'HTTP requests by route, method and status.', labelNames: ['route', 'method', 'status'] as const, registers: [registry] }),
  httpDuration: new client.Histogram({ name: 'hrm_sso_http_request_duration_seconds', help: 'HTTP request latency by route and method.', labelNames: ['route', 'method'] as const, buckets: LATENCY_BUCKETS, registers: [registry] }),
  tokensIssued: new client.Counter({ name: 'hrm_sso_tokens_issued_total', help: 'Successful token responses by grant type.', labelNames: ['grant_type'] as const, registers: [registry] }),
  loginFailures: new client.Counter({ name: 'hrm_sso_login_failures_total', help: 'Failed sign-ins: the login form (form) and the password grant (password_grant).', labelNames: ['via'] as const, registers: [registry] }),
  rateLimitHits: new client.Counter({ name: 'hrm_sso_rate_limit_hits_total', help: 'Requests refused with 429 by route.', labelNames: ['route'] as const, registers: [registry] }),
  dbDuration: new client.Histogram({ name: 'hrm_sso_db_command_duration_seconds', help: 'Database command latency by command and outcome.', labelNames: ['command', 'outcome'] as const, buckets: LATENCY_BUCKETS, registers: [registry] }),
  mailSent: new client.Counter({ name: 'hrm_sso_mail_sent_total', help: 'Mails accepted by the SMTP server, by kind (invitation, password_reset, notice_…).', labelNames: ['kind'] as const, registers: [registry] }),
  mailFailures: new client.Counter({ name: 'hrm_sso_mail_failures_total', help: 'Failed sending attempts by kind and outcome (will_retry, or gave_up after MAIL_MAX_ATTEMPTS or a permanent refusal).', labelNames: ['kind', 'outcome'] as const, registers: [registry] }),
  embeddedDbRestarts: new client.Counter({ name: 'hrm_sso_embedded_database_restarts_total', help: 'Times the supervised embedded FerretDB was restarted after it died.', registers: [registry] }),
};

const GRANTS = new Set(['authorization_code', 'refresh_token', 'client_credentials', 'password', 'urn:ietf:params:oauth:grant-type:device_code']);

/** The matched route pattern, never the raw path (bounded label values; no ids or tokens in labels). */
function routeLabel(req: Request): string {
  const pattern = req.route?.path;
  if (typeof pattern === 'string') return `${req.baseUrl}${pattern}`;
  if (Array.isArray(pattern)) return pattern.includes(req.path) ? req.path : String(pattern[0]);
  if (req.path.startsWith('/static/')) return '/static/*';
  return 'unmatched';
}

function param(req: Request, name: string): string | undefined {
  const v = (req.body as Record<string, unknown> | undefined)?.[name] ?? (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
}

export function httpMetrics() {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      const route = routeLabel(req);
      const status = res.statusCode;
      end({ route, method: req.method });
      metrics.httpRequests.inc({ route, method: req.method, status: String(status) });
      if (status === 429) metrics.rateLimitHits.inc({ route });
      if (route === '/o/token/') {
        const grant = param(req, 'grant_type');
        if (status === 200) metrics.tokensIssued.inc({ grant_type: grant && GRANTS.has(grant) ? grant : 'other' });
        else if (status === 400 && grant === 'password') metrics.loginFailures.inc({ via: 'password_grant' });
      }
      if (route === '/accounts/login/' && req.method === 'POST' && status === 401) metrics.loginFailures.inc({ via: 'form' });
    });
    next();
  };
}

/** Times every database command (the client must be created with monitorCommands: true). */
export function instrumentDatabase(mongo: MongoClient): void {
  mongo.on('commandSucceeded', (e) => metrics.dbDuration.observe({ command: e.commandName, outcome: 'ok' }, e.duration / 1000));
  mongo.on('commandFailed', (e) => metrics.dbDuration.observe({ command: e.commandName, outcome: 'error' }, e.duration / 1000));
}

/** GET /metrics; with METRICS_TOKEN set, only for `Authorization: Bearer <METRICS_TOKEN>`. */
export function metricsHandler(token: string | undefined) {
  const expected = token ? crypto.createHash('sha256').update(`Bearer ${token}`).digest() : undefined;
  return async (req: Request, res: Response) => {
    if (expected) {
      const given = crypto.createHash('sha256').update(req.get('authorization') ?? '').digest();
      if (!crypto.timingSafeEqual(given, expected)) {
        res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').json({ error: 'invalid_token', error_description: 'Metrics need the METRICS_TOKEN bearer token.' });
        return;
      }
    }
    res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(await registry.metrics());
  };
}
