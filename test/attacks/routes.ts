// Lists the Express application's routes (method + path, OpenAPI style) by walking its router.
import type express from 'express';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[];
  slash?: boolean;
}

export function listRoutes(app: express.Express): string[] {
  const out = new Set<string>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        // `app.all` routes (every method: the 405 answers beside POST-only endpoints) are not endpoints of their own.
        const methods = Object.keys(layer.route.methods);
        if (methods.length > 8 || methods.includes('_all')) continue;
        for (const p of paths) for (const m of methods) out.add(`${m.toUpperCase()} ${(prefix + p).replace(/:([A-Za-z_]+)/g, '{$1}')}`);
      } else if (layer.handle?.stack) {
        const mount = layer.slash || !layer.rawPath ? '' : String(layer.rawPath);
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...out].sort();
}
