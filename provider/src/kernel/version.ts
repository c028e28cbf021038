// The provider's version, from provider/package.json (next to src/ and dist/, also in the image).
import fs from 'node:fs';
import path from 'node:path';

export function providerVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
