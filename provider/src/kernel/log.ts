// Logging with pino. Query strings are never logged (the Apps-Engine client sends
// client_secret and codes there) and credential headers are redacted.
import pino, { Logger } from 'pino';
import { requestIdMixin } from './request-context';

export type { Logger };

/**
 * Without a destination, logs go to stdout asynchronously (pino.destination with sync: false):
 * a synchronous write per request was 12 % of the main thread on userinfo. pino flushes the
 * buffer when the process exits (on-exit-leak-free), including process.exit().
 */
export function createLogger(level: string, destination: pino.DestinationStream = defaultDestination('json')): Logger {
  return pino(
    {
      level,
      base: { service: 'hrm-provider' },
      mixin: requestIdMixin,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.client_secret', '*.password', '*.token', '*.code'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** The request line without its query string. */
export function pathOnly(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * stdout as JSON lines (asynchronous), or — LOG_FORMAT=pretty, or auto on a terminal — readable
 * coloured lines from pino-pretty, for a person watching `npm start`.
 */
export function defaultDestination(format: 'auto' | 'json' | 'pretty'): pino.DestinationStream {
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (!pretty) return pino.destination({ dest: 1, sync: false });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pinoPretty = require('pino-pretty') as (opts: Record<string, unknown>) => pino.DestinationStream;
  return pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service', singleLine: false, sync: true });
}
