// Prometheus metrics (prom-client) for GET /metrics. One registry per process. Other modules may
// count their own events through `metrics` (e.g. `metrics.tokensIssued.inc({ grant_type })`);
// the HTTP middleware below already derives requests, latency, tokens issued per grant, login
// failures and rate-limit hits from each response, so no route needs to know about metrics.
import cluster from 'node:cluster';
import crypto from 'node:crypto';
import client, { AggregatorRegistry } from 'prom-client';
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
    const text = cluster.isWorker ? await askPrimaryForMetrics() : await registry.metrics();
    res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(text);
  };
}

// With WORKERS > 1 a scrape lands on one worker; it answers for the whole cluster (counters of all
// workers and the primary summed, prom-client's aggregation), so counters never jump between
// scrapes. Messages: worker → primary CLUSTER_REQ; primary → every worker PART_REQ; PART_RES back.
const CLUSTER_REQ = 'hrm:metrics-cluster-req';
const CLUSTER_RES = 'hrm:metrics-cluster-res';
const PART_REQ = 'hrm:metrics-part-req';
const PART_RES = 'hrm:metrics-part-res';
const PART_TIMEOUT_MS = 2000;
type MetricsJson = Awaited<ReturnType<typeof registry.getMetricsAsJSON>>;
type Message = { type?: string; id?: number; text?: string; metrics?: MetricsJson };
let nextId = 0;
const waiting = new Map<number, (text: string) => void>();

function askPrimaryForMetrics(): Promise<string> {
  const id = ++nextId;
  return new Promise((resolve) => {
    // A primary that does not answer (it is shutting down): this worker's own figures.
    const timer = setTimeout(() => {
      waiting.delete(id);
      void registry.metrics().then(resolve);
    }, PART_TIMEOUT_MS * 2);
    waiting.set(id, (text) => {
      clearTimeout(timer);
      resolve(text);
    });
    process.send!({ type: CLUSTER_REQ, id });
  });
}

/** In a worker: answers the primary's requests for this process's metrics, and takes its aggregated answers. */
export function answerClusterMetrics(): void {
  process.on('message', (m: Message) => {
    if (m?.type === PART_REQ) void registry.getMetricsAsJSON().then((metrics) => process.send?.({ type: PART_RES, id: m.id, metrics }));
    else if (m?.type === CLUSTER_RES) waiting.get(m.id!)?.(m.text!);
  });
}

/** In the primary: aggregates its own and every live worker's metrics for a worker's /metrics. */
export function serveClusterMetrics(): void {
  const parts = new Map<number, { pending: Set<number>; got: MetricsJson[]; done: () => void }>();
  let nextPart = 0;
  cluster.on('message', (worker, m: Message) => {
    if (m?.type === PART_RES) {
      const p = parts.get(m.id!);
      if (!p) return;
      p.got.push(m.metrics ?? []);
      p.pending.delete(worker.id);
      if (p.pending.size === 0) p.done();
      return;
    }
    if (m?.type !== CLUSTER_REQ) return;
    void (async () => {
      const id = ++nextPart;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is NonNullable<typeof w> => !!w && w.isConnected());
      const part = { pending: new Set(workers.map((w) => w.id)), got: [await registry.getMetricsAsJSON()], done: () => undefined as void };
      const all = new Promise<void>((resolve) => (part.done = resolve));
      parts.set(id, part);
      for (const w of workers) w.send({ type: PART_REQ, id });
      if (part.pending.size > 0) await Promise.race([all, new Promise((r) => setTimeout(r, PART_TIMEOUT_MS).unref())]);
      parts.delete(id);
      const text = await AggregatorRegistry.aggregate(part.got).metrics();
      if (worker.isConnected()) worker.send({ type: CLUSTER_RES, id: m.id, text });
    })();
  });
}
