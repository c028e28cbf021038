// CSV import: parse (csv-parse), plan (the diff a dry run prints), apply (row by row through the
// one person-change path). A bad row is reported with its line and changes nothing; the good rows
// apply; a second run of the same file finds every row unchanged.
import { parse } from 'csv-parse/sync';
import { AppError } from '../../kernel/errors';
import type { Services } from '../services';
import type { PersonDoc } from '../../store/people';
import { normaliseUsername } from '../../store/users';
import { applyPersonChange, markLeft, type ApplyOptions, type ChangeSource } from './apply';
import { CSV_COLUMN_NAMES, CSV_COLUMNS, restoreFormula, splitList, type CsvColumn } from './csv-format';
import { changedFields, parsePerson, type PersonField, type PersonInput } from './person';

export type MatchKey = 'username' | 'email' | 'employee_number';
export const MATCH_KEYS: MatchKey[] = ['username', 'email', 'employee_number'];

export interface CsvRow {
  line: number;
  /** Cells by column, formula neutralisation undone, trimmed. */
  cells: Partial<Record<CsvColumn, string>>;
}

export interface RowError {
  line: number;
  message: string;
}

export interface ParsedCsv {
  columns: CsvColumn[];
  rows: CsvRow[];
  errors: RowError[];
}

/** Reads the file; whole-file problems (size, encoding, header, quoting) throw and nothing is planned. */
export function parsePeopleCsv(data: Buffer, maxBytes: number, size = data.length): ParsedCsv {
  if (size > maxBytes) throw new AppError('csv_too_large', `The file is ${(size / 1048576).toFixed(1)} MB; the limit is ${(maxBytes / 1048576).toFixed(1)} MB (CSV_IMPORT_MAX_BYTES). Split it into smaller files.`, 413);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new AppError('csv_encoding', 'The file is not UTF-8 text. Save it as "CSV UTF-8" (Excel) or convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8.');
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 64 * 1024 }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw new AppError('csv_malformed', `The file is not valid CSV${e.lines ? ` (line ${e.lines})` : ''}: ${String(e.message ?? err).replace(/^Invalid[^:]*:\s*/, '')}. Nothing was imported.`);
  }
  if (records.length === 0) throw new AppError('csv_empty', 'The file is empty: the first line must name the columns, e.g. username,email,name.');
  const header = records[0].record.map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !(CSV_COLUMN_NAMES as string[]).includes(h));
  if (unknown.length) throw new AppError('csv_unknown_columns', `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}. The columns are: ${CSV_COLUMN_NAMES.join(', ')}.`);
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (repeated.length) throw new AppError('csv_repeated_columns', `The column "${repeated[0]}" appears twice in the header.`);
  if (!header.includes('username')) throw new AppError('csv_missing_column', 'The header has no "username" column; every row needs one.');
  const columns = header as CsvColumn[];
  const rows: CsvRow[] = [];
  const errors: RowError[] = [];
  for (const { record, info } of records.slice(1)) {
    if (record.length !== columns.length) {
      errors.push({ line: info.lines, message: `has ${record.length} cells but the header has ${columns.length} columns` });
      continue;
    }
    const cells: CsvRow['cells'] = {};
    columns.forEach((c, i) => (cells[c] = restoreFormula(record[i].trim())));
    rows.push({ line: info.lines, cells });
  }
  return { columns, rows, errors };
}

export interface PlannedRow {
  line: number;
  person: PersonInput;
  existing: PersonDoc | null;
  fields: PersonField[];
}

export interface ImportPlan {
  create: PlannedRow[];
  update: PlannedRow[];
  unchanged: PlannedRow[];
  deactivate: PersonDoc[];
  errors: RowError[];
  /** Why --deactivate-missing did nothing, when it did nothing. */
  deactivateSkipped?: string;
  /** Usernames of every account when the plan was made (managers named by later rows wait for them). */
  known: Set<string>;
}

export interface PlanOptions {
  match: MatchKey;
  deactivateMissing: boolean;
}

class Index {
  readonly byUsername = new Map<string, PersonDoc>();
  readonly byEmail = new Map<string, PersonDoc>();
  readonly byNumber = new Map<string, PersonDoc>();
  constructor(users: PersonDoc[]) {
    for (const u of users) {
      this.byUsername.set(u.username, u);
      this.byEmail.set(u.email, u);
      if (u.employeeNumber) this.byNumber.set(u.employeeNumber, u);
    }
  }
}

function toPerson(row: CsvRow): PersonInput {
  const raw: Record<string, unknown> = {};
  for (const [column, cell] of Object.entries(row.cells) as [CsvColumn, string][]) {
    const field = CSV_COLUMNS[column];
    if (field === 'teams' || field === 'hrRoles') raw[field] = splitList(cell);
    // A blank status is "not given" (the HR lifecycle has no "no status").
    else if (field === 'employmentStatus') raw[field] = cell === '' ? undefined : cell.toLowerCase();
    else raw[field] = cell;
  }
  return parsePerson(raw as unknown as PersonInput);
}

/** The diff: to create, to update (which fields), unchanged, to deactivate, and the bad rows. */
export async function planImport(services: Services, parsed: ParsedCsv, opts: PlanOptions): Promise<ImportPlan> {
  const index = new Index(await services.people.all());
  const plan: ImportPlan = { create: [], update: [], unchanged: [], deactivate: [], errors: [...parsed.errors], known: new Set(index.byUsername.keys()) };
  if (opts.match !== 'username' && !parsed.columns.includes(opts.match)) throw new AppError('csv_missing_column', `--match ${opts.match} needs a "${opts.match}" column.`);
  const seen = { username: new Map<string, number>(), email: new Map<string, number>(), number: new Map<string, number>() };
  const named = new Set<string>(); // accounts some row (good or bad) speaks about: never deactivated
  const rowUsernames = new Map<string, PersonInput>();
  const rowNumbers = new Map<string, string>();
  const good: { row: CsvRow; person: PersonInput; existing: PersonDoc | null }[] = [];

  for (const row of parsed.rows) {
    try {
      const person = toPerson(row);
      const key = opts.match === 'username' ? person.username : opts.match === 'email' ? person.email : person.employeeNumber;
      if (!key) throw new Error(`the ${opts.match} cell is empty (it identifies the account with --match ${opts.match})`);
      const existing = opts.match === 'username' ? index.byUsername.get(key) : opts.match === 'email' ? index.byEmail.get(key) : index.byNumber.get(key);
      if (existing) named.add(existing._id);
      for (const [label, value, map] of [['username', person.username, seen.username], ['email', person.email, seen.email], ['employee_number', person.employeeNumber, seen.number]] as const) {
        if (!value) continue;
        const first = map.get(value);
        if (first !== undefined) throw new Error(`${label} "${value}" is also on line ${first}`);
        map.set(value, row.line);
      }
      if (existing && existing.username !== person.username) throw new Error(`the username "${person.username}" differs from the account matched by ${opts.match} ("${existing.username}"); usernames never change`);
      if (!existing && index.byUsername.has(person.username)) throw new Error(`a different account already has the username "${person.username}" (its ${opts.match} does not match this row)`);
      const emailOwner = person.email ? index.byEmail.get(person.email) : undefined;
      if (emailOwner && emailOwner._id !== existing?._id) throw new Error(`the email "${person.email}" belongs to another account ("${emailOwner.username}")`);
      const numberOwner = person.employeeNumber ? index.byNumber.get(person.employeeNumber) : undefined;
      if (numberOwner && numberOwner._id !== existing?._id) throw new Error(`the employee number "${person.employeeNumber}" belongs to another account ("${numberOwner.username}")`);
      if (!existing && !person.email) throw new Error('a new account needs an email');
      if (!existing && !person.name && !person.givenName && !person.familyName) throw new Error('a new account needs a name (or given_name/family_name)');
      rowUsernames.set(person.username, person);
      if (person.employeeNumber) rowNumbers.set(person.employeeNumber, person.username);
      good.push({ row, person, existing: existing ?? null });
    } catch (err) {
      plan.errors.push({ line: row.line, message: (err as Error).message });
      const username = row.cells.username?.trim().toLowerCase();
      const u = username ? index.byUsername.get(username) : undefined;
      if (u) named.add(u._id);
    }
  }

  // Managers are named by username or employee number, of an account or of a row of this file.
  for (const { row, person, existing } of good) {
    try {
      if (person.manager) {
        const m = person.manager;
        const asUsername = normaliseUsername(m);
        const username = index.byUsername.has(asUsername) || rowUsernames.has(asUsername) ? asUsername : (index.byNumber.get(m)?.username ?? rowNumbers.get(m));
        if (!username) throw new Error(`the manager "${m}" is neither a username nor an employee number of an account or of a row in this file`);
        if (username === person.username) throw new Error('a person cannot be their own manager');
        person.manager = username;
      }
      if (person.employmentStatus === 'on_leave' && !person.leaveUntil && !(existing?.employmentStatus === 'on_leave' && existing.leaveUntil)) throw new Error('employment_status on_leave needs a leave_until date');
      const fields = changedFields(existing, person);
      const planned = { line: row.line, person, existing, fields };
      if (!existing) plan.create.push(planned);
      else if (fields.length) plan.update.push(planned);
      else plan.unchanged.push(planned);
    } catch (err) {
      plan.errors.push({ line: row.line, message: (err as Error).message });
    }
  }

  if (opts.deactivateMissing) {
    if (parsed.rows.length === 0) plan.deactivateSkipped = 'the file has no rows, so nobody is marked as left';
    else {
      for (const u of index.byUsername.values()) {
        // Administrators are never marked left by a missing row: that would lock the console.
        if (!named.has(u._id) && u.employmentStatus !== 'left' && !u.admin) plan.deactivate.push(u);
      }
    }
  }
  plan.errors.sort((a, b) => a.line - b.line);
  return plan;
}

export interface ImportResult {
  created: string[];
  updated: { username: string; fields: PersonField[] }[];
  unchanged: number;
  left: string[];
  errors: RowError[];
}

/** Applies a plan: each row through applyPersonChange; a row refused now is reported with its line. */
export async function applyImport(services: Services, plan: ImportPlan, source: ChangeSource, opts: ApplyOptions & { onProgress?: (done: number, total: number) => void } = {}): Promise<ImportResult> {
  const result: ImportResult = { created: [], updated: [], unchanged: plan.unchanged.length, left: [], errors: [...plan.errors] };
  const rows = [...plan.create, ...plan.update].sort((a, b) => a.line - b.line);
  const total = rows.length + plan.deactivate.length;
  const people = services.people;
  const exists = new Set(plan.known);
  // A manager created later in the file is set in a second pass.
  const later: { line: number; username: string; manager: string }[] = [];
  let done = 0;
  for (const r of rows) {
    const person = { ...r.person };
    if (person.manager && !exists.has(person.manager)) {
      later.push({ line: r.line, username: person.username, manager: person.manager });
      delete person.manager;
    }
    try {
      const out = await applyPersonChange(services, source, r.existing, person, opts);
      exists.add(out.user.username);
      if (out.action === 'created') {
        result.created.push(out.user.username);
        await people.setMarks(out.user._id, { source: 'csv' });
      } else if (out.action === 'updated') result.updated.push({ username: out.user.username, fields: out.fields });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      result.errors.push({ line: r.line, message: err.message });
      later.splice(0, later.length, ...later.filter((l) => l.username !== person.username));
    }
    opts.onProgress?.(++done, total);
  }
  for (const l of later) {
    try {
      const user = await services.users.byUsername(l.username);
      if (user) await applyPersonChange(services, source, user, { username: l.username, manager: l.manager });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      result.errors.push({ line: l.line, message: err.message });
    }
  }
  for (const u of plan.deactivate) {
    await markLeft(services, source, u);
    result.left.push(u.username);
    opts.onProgress?.(++done, total);
  }
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}
