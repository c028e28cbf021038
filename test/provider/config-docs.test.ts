// .env.example and the README's configuration table are generated from provider/src/kernel/config.ts;
// this fails when someone adds or changes a knob without running `npm run docs:config`.
import fs from 'node:fs';
import { configSchema } from '../../provider/src/kernel/config';
import { ENV_EXAMPLE, README, knobDocs, readmeWithTable, renderEnvExample } from '../../provider/src/tools/config-docs';

const HINT = 'run `npm run docs:config` and commit the result';

test('every knob in the schema has a meaning and a default', () => {
  const docs = knobDocs();
  expect(docs.map((d) => d.name)).toEqual(Object.keys(configSchema.shape));
  for (const d of docs) {
    expect(d.meaning.length).toBeGreaterThan(10);
    expect(d.default).not.toBe('');
  }
  expect(docs.find((d) => d.name === 'PORT')).toEqual({ name: 'PORT', default: '8000', meaning: 'TCP port the HTTP server listens on.' });
  expect(docs.find((d) => d.name === 'DATA_DIR')!.default).toBe('.data/ in the repository'); // "(default: …)" in the comment wins
});

test(`.env.example matches the schema (${HINT})`, () => {
  expect(fs.readFileSync(ENV_EXAMPLE, 'utf8')).toBe(renderEnvExample());
});

test(`the README configuration table matches the schema (${HINT})`, () => {
  const readme = fs.readFileSync(README, 'utf8');
  expect(readme).toBe(readmeWithTable(readme));
});

test('a knob without its comment is reported by name', () => {
  const source = `const configSchema = z.object({\n  NODE_ENV: z.string(),\n});`;
  expect(() => knobDocs(source)).toThrow(/NODE_ENV in provider\/src\/kernel\/config.ts needs a comment/);
});
