// A pino destination that keeps every line, so tests can assert what was (not) logged.
import { Writable } from 'node:stream';

export class LogCapture extends Writable {
  readonly lines: string[] = [];
  _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  }
  get text(): string {
    return this.lines.join('\n');
  }
  entries(): Array<Record<string, unknown>> {
    return this.lines.map((l) => JSON.parse(l));
  }
  write(chunk: unknown, encodingOrCb?: unknown, cb?: unknown): boolean {
    return super.write(chunk as Buffer, encodingOrCb as BufferEncoding, cb as () => void);
  }
}
