// multipart/form-data for one upload form (busboy): text fields become req.body (so CSRF checks
// work as for any form), the file named `file` is kept in memory up to `maxBytes`; beyond that
// the rest is drained and `upload.tooLarge` says so (the page then answers with the limit).
import busboy from 'busboy';
import type { NextFunction, Request, Response } from 'express';

export interface Upload {
  data: Buffer;
  filename?: string;
  size: number;
  tooLarge: boolean;
}

declare module 'express-serve-static-core' {
  interface Locals {
    upload?: Upload;
  }
}

export function multipartUpload(maxBytes: () => number) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    const limit = maxBytes();
    let bb: busboy.Busboy;
    try {
      // Hidden fields carry a previewed file back, so fields may be as large as a file.
      bb = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: limit + 1, fileSize: limit + 1 } });
    } catch {
      return next();
    }
    // busboy may report an error and then close: continue exactly once.
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      upload.data = Buffer.concat(chunks);
      if (upload.size > limit) upload.tooLarge = true;
      req.body = body;
      res.locals.upload = upload;
      next();
    };
    const body: Record<string, string> = {};
    const chunks: Buffer[] = [];
    const upload: Upload = { data: Buffer.alloc(0), size: 0, tooLarge: false };
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) upload.tooLarge = true;
      body[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      upload.filename = info.filename;
      stream.on('data', (d: Buffer) => {
        upload.size += d.length;
        if (upload.size <= limit + 1 && name === 'file') chunks.push(d);
      });
      stream.on('limit', () => (upload.tooLarge = true));
    });
    bb.on('close', finish);
    bb.on('error', () => {
      req.unpipe(bb);
      finish();
    });
    req.pipe(bb);
  };
}
