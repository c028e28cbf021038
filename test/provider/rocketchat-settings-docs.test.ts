// README.md and docs/admin-guide.md carry the Rocket.Chat settings table generated from the
// function behind the admin Connect Rocket.Chat page; this fails when they drift from it.
import fs from 'node:fs';
import { DOCUMENTS, hasSettingsTable, renderSettingsTable, withSettingsTable } from '../../provider/src/tools/rocketchat-settings-docs';

const HINT = 'run `npm run docs:rocketchat` and commit the result';

test.each(DOCUMENTS)(`%s carries the generated Rocket.Chat settings table (${HINT})`, (file) => {
  const doc = fs.readFileSync(file, 'utf8');
  expect(hasSettingsTable(doc)).toBe(true);
  expect(doc).toBe(withSettingsTable(doc));
});

test('the table has the rows people asked about: Enable for both setups, the Workspace menu path, no page-only placeholders', () => {
  const table = renderSettingsTable();
  expect(table).toContain('| Enable | On | On |');
  expect(table).toContain('| where | Administration → Workspace → Settings → OAuth → Add custom oauth `hrm`');
  expect(table).toContain("| URL | the provider's public URL (`ISSUER`) |");
  expect(table).not.toMatch(/@@|localhost/);
});

test('an edited table is detected and rewritten', () => {
  const doc = fs.readFileSync(DOCUMENTS[0], 'utf8');
  const edited = doc.replace('| Enable | On | On |', '| Enable | Off | On |');
  expect(edited).not.toBe(doc);
  expect(withSettingsTable(edited)).toBe(doc);
});
