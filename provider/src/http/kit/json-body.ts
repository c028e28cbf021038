// JSON bodies for the few browser endpoints that scripts call (passkey ceremonies): parsed with
// the body limit, and a body that is not JSON gets a 400 with a sentence, in JSON, never a 5xx.
import express, { type NextFunction, type Request, type Response } from 'express';

export function jsonBody(limitBytes: number) {
  const parse = express.json({ limit: limitBytes, type: 'application/json' });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (err?: unknown) => {
      if (!err) return next();
      const tooLarge = (err as { type?: string }).type === 'entity.too.large';
      jsonError(res, tooLarge ? 413 : 400, 'invalid_request', tooLarge ? 'The request body is too large.' : 'The request body is not valid JSON. Reload the page and try again.');
    });
}

/** An RFC 6749-shaped error answer: a code and a sentence for people. */
export function jsonError(res: Response, status: number, error: string, description: string) {
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

/** A JSON object body, or undefined (arrays, strings and missing bodies are not). */
export function jsonObject(req: Request): Record<string, unknown> | undefined {
  const b = req.body as unknown;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : undefined;
}
