// One cookie from the request's Cookie header, without a parser middleware (the pages read two or
// three small cookies of their own; express-session reads its own).
import type { Request } from 'express';

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
