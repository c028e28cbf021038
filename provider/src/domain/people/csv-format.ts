// The people CSV: its columns (import and export share them) and how a cell maps to a field.
import type { PersonField } from './person';

/** Column → field, in file order. */
export const CSV_COLUMNS = {
  username: 'username',
  email: 'email',
  name: 'name',
  given_name: 'givenName',
  family_name: 'familyName',
  department: 'department',
  job_title: 'jobTitle',
  manager: 'manager',
  employee_number: 'employeeNumber',
  teams: 'teams',
  employment_status: 'employmentStatus',
  leave_until: 'leaveUntil',
  left_at: 'leftAt',
  roles: 'hrRoles',
} as const satisfies Record<string, PersonField | 'username'>;

export type CsvColumn = keyof typeof CSV_COLUMNS;
export const CSV_COLUMN_NAMES = Object.keys(CSV_COLUMNS) as CsvColumn[];

/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Export: a cell that would start a formula gets a leading apostrophe, which spreadsheets show as text. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** Import: undoes neutraliseFormula, so an exported file imports back unchanged. */
export function restoreFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** Lists (teams, roles) are written comma-separated; spaces and semicolons also separate on import. */
export function splitList(cell: string): string[] {
  return cell.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}
