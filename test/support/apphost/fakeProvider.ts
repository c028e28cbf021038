/**
 * A stand-in HTTP server on 127.0.0.1 for provider misbehaviour the real provider cannot
 * produce: HTML pages, garbage, hanging requests, chosen OAuth errors. Each request is
 * answered by the current `answer` function; requests are recorded (method, path, auth).
 */
import * as http from 'http';
import { AddressInfo } from 'net';

export interface FakeAnswer {
    status: number;
    body: string;
    contentType?: string;
}

export type Answerer = (req: { method: string; path: string; authorization?: string }) => FakeAnswer | 'hang';

export interface FakeProvider {
    readonly baseUrl: string;
    readonly requests: Array<{ method: string; path: string; authorization?: string }>;
    answer: Answerer;
    stop(): Promise<void>;
}

export const html = (status = 200): FakeAnswer => ({ status, body: '<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>', contentType: 'text/html' });
export const json = (status: number, value: unknown): FakeAnswer => ({ status, body: JSON.stringify(value), contentType: 'application/json' });

export async function startFakeProvider(answer: Answerer): Promise<FakeProvider> {
    const requests: FakeProvider['requests'] = [];
    const hanging = new Set<http.ServerResponse>();
    const state = { answer };
    const server = http.createServer((req, res) => {
        const entry = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], authorization: req.headers.authorization };
        requests.push(entry);
        req.resume();
        req.on('end', () => {
            const result = state.answer(entry);
            if (result === 'hang') {
                hanging.add(res);
                return;
            }
            res.writeHead(result.status, { 'Content-Type': result.contentType ?? 'text/plain' });
            res.end(result.body);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        baseUrl: `http://127.0.0.1:${port}`,
        requests,
        get answer() {
            return state.answer;
        },
        set answer(next: Answerer) {
            state.answer = next;
        },
        stop: async () => {
            for (const res of hanging) {
                res.destroy();
            }
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
