// `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5 and §3.9): which attributes an answer
// carries. "id" and "schemas" always come back; names are case-insensitive; "name.givenName" and
// "urn:…:enterprise:2.0:User:department" select a sub-attribute.
import { ENTERPRISE_SCHEMA } from './schemas';
import type { Json } from './user-resource';

const ALWAYS = new Set(['id', 'schemas']);

function split(list: string | undefined): string[][] {
  if (!list) return [];
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 50)
    .map((s) => {
      const lower = s.toLowerCase();
      const ext = ENTERPRISE_SCHEMA.toLowerCase();
      if (lower === ext) return [ext];
      if (lower.startsWith(`${ext}:`)) return [ext, ...lower.slice(ext.length + 1).split('.')];
      return lower.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/, '').split('.');
    });
}

function keyOf(o: Json, lower: string): string | undefined {
  return Object.keys(o).find((k) => k.toLowerCase() === lower);
}

export function project(resource: Json, attributes?: string, excluded?: string): Json {
  const include = split(attributes);
  if (include.length) {
    const out: Json = {};
    for (const [k, v] of Object.entries(resource)) if (ALWAYS.has(k)) out[k] = v;
    for (const [top, sub] of include) {
      const k = keyOf(resource, top);
      if (!k) continue;
      const v = resource[k];
      if (sub && v && typeof v === 'object' && !Array.isArray(v)) {
        const sk = keyOf(v as Json, sub);
        if (sk) out[k] = { ...((out[k] as Json) ?? {}), [sk]: (v as Json)[sk] };
      } else out[k] = v;
    }
    return out;
  }
  const exclude = split(excluded);
  if (!exclude.length) return resource;
  const out: Json = { ...resource };
  for (const [top, sub] of exclude) {
    const k = keyOf(out, top);
    if (!k || ALWAYS.has(k)) continue;
    if (sub && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k])) {
      const copy = { ...(out[k] as Json) };
      const sk = keyOf(copy, sub);
      if (sk) delete copy[sk];
      out[k] = copy;
    } else delete out[k];
  }
  return out;
}

/** Whether an answer needs the group members (a list without them is one query). */
export function wantsMembers(attributes?: string, excluded?: string): boolean {
  const include = split(attributes);
  if (include.length) return include.some(([t]) => t === 'members');
  return !split(excluded).some(([t, s]) => t === 'members' && !s);
}
