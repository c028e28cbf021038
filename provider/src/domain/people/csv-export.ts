// `user export`: every account in the import's columns (csv-stringify), so an exported file
// imports back unchanged. Cells that would start a spreadsheet formula are neutralised.
import { stringify } from 'csv-stringify/sync';
import type { PersonDoc } from '../../store/people';
import { CSV_COLUMN_NAMES, CSV_COLUMNS, neutraliseFormula } from './csv-format';
import { currentValue } from './person';

export type ExportRecord = Record<(typeof CSV_COLUMN_NAMES)[number], string | string[]>;

export function exportRecord(u: PersonDoc): ExportRecord {
  const out = {} as ExportRecord;
  for (const column of CSV_COLUMN_NAMES) {
    const field = CSV_COLUMNS[column];
    out[column] = field === 'username' ? u.username : currentValue(u, field);
  }
  return out;
}

export function exportCsv(users: PersonDoc[]): string {
  const rows = users.map((u) => CSV_COLUMN_NAMES.map((c) => {
    const v = exportRecord(u)[c];
    return neutraliseFormula(Array.isArray(v) ? v.join(',') : v);
  }));
  return stringify([CSV_COLUMN_NAMES, ...rows], { quoted_match: /[",\n\r]/, record_delimiter: 'unix' });
}
