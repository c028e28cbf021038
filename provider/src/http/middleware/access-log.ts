// One access-log line per request, written when the response is finished (or the client went
// away first). The same line pino-http wrote — {req: {id, method, path, ip, userAgent}, res:
// {statusCode}, responseTime, msg: "request completed"} — without its per-request child logger,
// which cost about 5 % of the main thread on userinfo (docs/performance.md, second pass).
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../kernel/log';
import { pathOnly } from '../../kernel/log';

export function accessLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const done = () => {
      res.removeListener('finish', done);
      res.removeListener('close', done);
      const responseTime = Math.round(performance.now() - started);
      // originalUrl: a mounted router (/static) has cut req.url; the query string is never logged.
      const r = req as Request & { id?: string };
      const line = { req: { id: r.id, method: req.method, path: pathOnly(req.originalUrl), ip: req.ip, userAgent: req.headers['user-agent'] }, res: { statusCode: res.statusCode }, responseTime };
      if (!res.writableFinished) log.info(line, 'request aborted');
      else if (res.statusCode >= 500) log.error(line, 'request completed');
      else log.info(line, 'request completed');
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
