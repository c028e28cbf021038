// The layering of provider/src and app-src (docs/architecture.md), checked by `npm test`.
// A folder may import only from its own layer or the layers listed before it; cycles are refused.
const PROVIDER_LAYERS = ['kernel', 'db', 'store', 'domain', 'jobs', 'http', 'cli', 'tools', '(main|server|cluster)\\.ts'];
const APP_LAYERS = ['core', 'infra', 'features', 'ui'];

function upwardRules(root, layers, label) {
  return layers.slice(0, -1).map((layer, i) => ({
    name: `${label}-${layer.replace(/\W.*/, '')}-no-upward`,
    comment: `${root}${layer} may only import from: ${layers.slice(0, i + 1).join(', ')}`,
    severity: 'error',
    from: { path: `^${root}${layer}` },
    to: { path: `^${root}(${layers.slice(i + 1).join('|')})` },
  }));
}

module.exports = {
  forbidden: [
    ...upwardRules('provider/src/', PROVIDER_LAYERS, 'provider'),
    ...upwardRules('app-src/', APP_LAYERS, 'app'),
    {
      name: 'no-circular',
      comment: 'Import circles make the layering meaningless.',
      severity: 'error',
      from: { path: '^(provider/src|app-src)/' },
      to: { circular: true },
    },
    {
      name: 'http-no-database',
      comment: 'Route handlers reach the database only through store/ and domain/ (type imports of documents are fine).',
      severity: 'error',
      from: { path: '^provider/src/http/' },
      to: { path: '^provider/src/db/(connect|expiry|retry|migrations)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'app-never-imports-provider',
      comment: 'The app ships alone in a zip.',
      severity: 'error',
      from: { path: '^(app-src/|HrmSsoApp\\.ts)' },
      to: { path: '^provider/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(node_modules|dist|\\.build|\\.data)/' },
  },
};
