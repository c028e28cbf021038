/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of the real provider, for the HR job's bad
 * input: every request is forwarded unchanged, but the HR status requests can be delayed (a slow
 * provider) or left unanswered (a provider that times out mid-pass). Everything else about the
 * answers is the real provider's.
 */
import * as http from 'http';
import { AddressInfo } from 'net';

export interface DelayProxy {
    readonly baseUrl: string;
    /** Delay before each status request is forwarded, ms. */
    statusDelayMs: number;
    /** Status requests with these 1-based numbers are never answered. */
    readonly hangStatusCalls: Set<number>;
    /** Status requests with these 1-based numbers get the provider's rate-limit answer (429) without reaching it. */
    readonly limitStatusCalls: Set<number>;
    /** Status requests seen so far. */
    statusCalls: number;
    stop(): Promise<void>;
}

const STATUS_PATH = /\/api\/v2\/hrm\/status\/?$/;

export async function startDelayProxy(target: string): Promise<DelayProxy> {
    const upstream = new URL(target);
    const open = new Set<http.ServerResponse>();
    const timers = new Set<NodeJS.Timeout>();
    const state: DelayProxy = {
        baseUrl: '',
        statusDelayMs: 0,
        hangStatusCalls: new Set(),
        limitStatusCalls: new Set(),
        statusCalls: 0,
        stop: async () => undefined,
    };
    const server = http.createServer((req, res) => {
        open.add(res);
        res.on('close', () => open.delete(res));
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
            const isStatus = STATUS_PATH.test((req.url ?? '').split('?')[0]);
            const number = isStatus ? ++state.statusCalls : 0;
            if (isStatus && state.hangStatusCalls.has(number)) {
                return; // never answered: the app's own timeout must decide
            }
            if (isStatus && state.limitStatusCalls.has(number)) {
                res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '60' }).end(JSON.stringify({ error: 'rate_limited', error_description: 'Too many requests.' }));
                return;
            }
            const forward = () => {
                const out = http.request(
                    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
                    (answer) => {
                        res.writeHead(answer.statusCode ?? 502, answer.headers);
                        answer.pipe(res);
                    },
                );
                out.on('error', () => res.writeHead(502).end());
                out.end(Buffer.concat(chunks));
            };
            if (isStatus && state.statusDelayMs > 0) {
                const timer = setTimeout(() => {
                    timers.delete(timer);
                    forward();
                }, state.statusDelayMs);
                timers.add(timer);
            } else {
                forward();
            }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    (state as { baseUrl: string }).baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    state.stop = async () => {
        timers.forEach(clearTimeout);
        open.forEach((res) => res.destroy());
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    return state;
}
