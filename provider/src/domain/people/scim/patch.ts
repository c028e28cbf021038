// PATCH (RFC 7644 §3.5.2) on a rendered resource with scim-patch, after smoothing the shapes
// Entra ID and Okta send: capitalised ops, path-less "replace" with dotted or URN keys, and
// `emails[type eq "work"].value` (this server keeps one address).
import { patchBodyValidation, scimPatch, type ScimPatchOperation, type ScimResource } from 'scim-patch';
import { ScimError } from './errors';
import { ENTERPRISE_SCHEMA, PATCH_SCHEMA } from './schemas';
import type { Json } from './user-resource';

interface RawOp {
  op?: unknown;
  path?: unknown;
  value?: unknown;
}

const READ_ONLY = /^(id|meta)(\.|$)/i;

function normaliseOps(body: unknown, maxOps: number): ScimPatchOperation[] {
  const b = body as { schemas?: unknown; Operations?: unknown; operations?: unknown } | null;
  if (!b || typeof b !== 'object' || !Array.isArray(b.schemas) || !b.schemas.includes(PATCH_SCHEMA)) throw new ScimError(400, `A PATCH body lists "schemas": ["${PATCH_SCHEMA}"].`, 'invalidSyntax');
  const raw = (b.Operations ?? b.operations) as RawOp[] | undefined;
  if (!Array.isArray(raw) || raw.length === 0) throw new ScimError(400, 'A PATCH body needs a non-empty "Operations" array.', 'invalidSyntax');
  if (raw.length > maxOps) throw new ScimError(400, `At most ${maxOps} operations per PATCH.`, 'tooMany');
  const ops: ScimPatchOperation[] = [];
  for (const o of raw) {
    if (!o || typeof o !== 'object') throw new ScimError(400, 'Each operation must be an object.', 'invalidSyntax');
    const op = typeof o.op === 'string' ? o.op.toLowerCase() : '';
    if (!['add', 'replace', 'remove'].includes(op)) throw new ScimError(400, `Unknown operation ${JSON.stringify(o.op)}: use add, replace or remove.`, 'invalidSyntax');
    const path = typeof o.path === 'string' && o.path.trim() ? o.path.trim() : undefined;
    if (o.path !== undefined && typeof o.path !== 'string') throw new ScimError(400, '"path" must be a string.', 'invalidPath');
    if (path && path.length > 500) throw new ScimError(400, 'The path is too long.', 'invalidPath');
    if (!path && op !== 'remove' && o.value && typeof o.value === 'object' && !Array.isArray(o.value)) {
      // Path-less add/replace: one operation per key, so dotted ("name.givenName") and URN keys work.
      for (const [k, v] of Object.entries(o.value as Json)) ops.push(single(op, k, v));
      continue;
    }
    if (!path && op === 'remove') throw new ScimError(400, 'A remove operation needs a path.', 'noTarget');
    if (!path) throw new ScimError(400, `An ${op} operation without a path needs an object value.`, 'invalidValue');
    ops.push(single(op, path, o.value));
  }
  return ops;
}

function single(op: string, path: string, value: unknown): ScimPatchOperation {
  if (READ_ONLY.test(path)) throw new ScimError(400, `"${path}" is read-only.`, 'mutability');
  // One address: any emails[…].value (Entra's `emails[type eq "work"].value`) sets it.
  if (/^emails\[[^\]]*\]\.value$/i.test(path) || /^emails\.value$/i.test(path)) {
    return op === 'remove' ? { op: 'remove', path: 'emails' } : { op: 'replace', path: 'emails', value: [{ value }] };
  }
  if (op === 'remove') return { op: 'remove', path };
  return { op: op as 'add' | 'replace', path, value } as ScimPatchOperation;
}

/** The resource after the operations; the caller reads it back as a whole resource. */
export function applyPatch(resource: Json, body: unknown, maxOps = 100): Json {
  let doc = resource;
  try {
    for (const op of normaliseOps(body, maxOps)) {
      // The extension as a whole ("urn:…:enterprise:2.0:User") is one complex attribute to
      // scim-patch's path grammar it is not, so it is handled here.
      if (op.path && op.path.toLowerCase() === ENTERPRISE_SCHEMA.toLowerCase()) {
        doc = wholeExtension(doc, op);
        continue;
      }
      patchBodyValidation({ schemas: [PATCH_SCHEMA], Operations: [op] } as never);
      doc = scimPatch(doc as unknown as ScimResource, [op], { mutateDocument: false, treatMissingAsAdd: true }) as unknown as Json;
    }
    return doc;
  } catch (err) {
    if (err instanceof ScimError) throw err;
    const e = err as { scimType?: string; message?: string };
    const scimType = e.scimType === 'noTarget' ? 'noTarget' : e.scimType === 'invalidPath' ? 'invalidPath' : 'invalidValue';
    throw new ScimError(400, `The PATCH could not be applied: ${e.message ?? String(err)}`, scimType);
  }
}

function wholeExtension(doc: Json, op: ScimPatchOperation): Json {
  const out = { ...doc };
  if (op.op === 'remove') {
    delete out[ENTERPRISE_SCHEMA];
    return out;
  }
  const value = (op as { value?: unknown }).value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ScimError(400, `The value for ${ENTERPRISE_SCHEMA} must be an object.`, 'invalidValue');
  out[ENTERPRISE_SCHEMA] = op.op === 'add' ? { ...((doc[ENTERPRISE_SCHEMA] as Json | undefined) ?? {}), ...(value as Json) } : value;
  return out;
}
