// Shared by the performance tests: the FerretDB in use must carry the _id-index patch
// (scripts/ferretdb/), and explain() tells whether a query is an index search or a scan.
import type { Collection, Db, Document, Filter } from 'mongodb';

export const PATCHED_FERRETDB_VERSION = 'v1.24.2-hrm.3';

/** FerretDB's version (buildInfo.ferretdbVersion), or undefined on MongoDB. */
export async function ferretDbVersion(db: Db): Promise<string | undefined> {
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string' ? info.ferretdbVersion : undefined;
}

/** Fails with the remedy when the FerretDB binary in use was built without the patch. */
export async function expectPatchedFerretDb(db: Db): Promise<void> {
  const version = await ferretDbVersion(db);
  if (version !== PATCHED_FERRETDB_VERSION) {
    throw new Error(
      `The FerretDB in use is ${version ?? 'not FerretDB'}, not ${PATCHED_FERRETDB_VERSION}: its _id lookups scan whole tables and its writers meet in SQLite's sleeping busy handler. ` +
        `Run 'npm run setup:ferretdb' (rebuilds .data/bin/ferretdb with scripts/ferretdb/*.patch).`,
    );
  }
}

export interface QueryPlan {
  plan: string[];
  filterPushdown: boolean;
}

/** FerretDB's explain: SQLite's EXPLAIN QUERY PLAN lines and whether the filter went to SQL. */
export async function explainFind<T extends Document>(coll: Collection<T>, filter: Filter<T>): Promise<QueryPlan> {
  const res = (await coll.find(filter).limit(1).explain()) as Document;
  return { plan: (res.queryPlanner?.Plan ?? []) as string[], filterPushdown: res.filterPushdown === true };
}

/** True when SQLite answers from an index: "SEARCH <table> USING INDEX <table>__id_ (<expr>=?)". */
export function usesIdIndex(p: QueryPlan): boolean {
  return p.filterPushdown && p.plan.some((l) => /detail=SEARCH \S+ USING INDEX \S+__id_ \(<expr>=\?\)/.test(l)) && !p.plan.some((l) => /detail=SCAN/.test(l));
}

/** True when SQLite answers from any index (SEARCH ... USING [COVERING ]INDEX) and scans nothing. */
export function usesIndex(p: QueryPlan): boolean {
  return p.filterPushdown && p.plan.some((l) => /detail=SEARCH \S+ USING (COVERING )?INDEX /.test(l)) && !p.plan.some((l) => /detail=SCAN/.test(l));
}

/** The filters a command applies, per collection: find/count/delete/update/findAndModify and an aggregate's leading $match. */
export function filtersOf(name: string, command: Document): Array<{ collection: string; filter: Document }> {
  const coll = String(command[name] ?? '');
  switch (name) {
    case 'find':
      return [{ collection: coll, filter: command.filter ?? {} }];
    case 'count':
      return [{ collection: coll, filter: command.query ?? {} }];
    case 'delete':
      return (command.deletes as Array<{ q: Document }>).map((d) => ({ collection: coll, filter: d.q }));
    case 'update':
      return (command.updates as Array<{ q: Document }>).map((u) => ({ collection: coll, filter: u.q }));
    case 'findAndModify':
      return [{ collection: coll, filter: command.query ?? {} }];
    case 'aggregate': {
      const first = (command.pipeline as Document[])[0];
      return [{ collection: coll, filter: first && '$match' in first ? first.$match : {} }];
    }
    default:
      return [];
  }
}
