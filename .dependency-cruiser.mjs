// The layers, top to bottom; an import may go down or stay within its layer, never up, never in a circle:
//   bench                                  (on top; the same rules inside itself)
//   src/cli
//   src/server, src/register, src/rollout, src/preflight, src/manifests   (the operator surfaces)
//   webhooks/*                             (each webhook folder on its own; webhooks/*.ts hold what they share)
//   src/gardener (with the migration settings), src/admission (generic: no Gardener, no migration settings)
//   src/observability, src/certs, src/util
// Type-only and dynamic imports count like any other.
const BOTTOM = '^src/(observability|certs|util)/';
const CORE = '^src/(gardener|admission)/';
const WEBHOOKS = '^webhooks/';
const SURFACES = '^src/(server|register|rollout|preflight|manifests)/';
const CLI = '^src/cli/';
const BENCH = '^bench/';

const upward = (name, from, above) => ({
  name,
  severity: 'error',
  comment: 'an import may not go up a layer',
  from: { path: from },
  to: { path: above },
});

export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'modules that import each other, directly or through others (type-only and dynamic imports included)',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      severity: 'error',
      comment: 'folders that import each other, even where no single module is in a circle',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    upward('bottom-imports-up', BOTTOM, [CORE, WEBHOOKS, SURFACES, CLI, BENCH]),
    upward('core-imports-up', CORE, [WEBHOOKS, SURFACES, CLI, BENCH]),
    upward('webhook-imports-up', WEBHOOKS, [SURFACES, CLI, BENCH]),
    upward('surface-imports-up', SURFACES, [CLI, BENCH]),
    upward('cli-imports-up', CLI, [BENCH]),
    {
      name: 'admission-knows-gardener',
      severity: 'error',
      comment: 'src/admission is generic AdmissionReview machinery: it knows neither Gardener nor the migration',
      from: { path: '^src/admission/' },
      to: { path: '^src/gardener/' },
    },
    {
      name: 'webhook-imports-another',
      severity: 'error',
      comment: "a webhook's whole behaviour is in its own folder; what webhooks share sits beside them in webhooks/",
      from: { path: '^webhooks/([^/]+)/' },
      to: { path: '^webhooks/[^/]+/', pathNot: '^webhooks/$1/' },
    },
    {
      name: 'production-imports-tests',
      severity: 'error',
      from: { path: '^(src|webhooks)/' },
      to: { path: '^test/' },
    },
    {
      name: 'production-imports-dev-dependency',
      severity: 'error',
      comment: 'the image installs only dependencies; types from a devDependency are fine',
      from: { path: '^(src|webhooks)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|webhooks|bench)/',
    // Count `import type` and type-only imports: they tie the layers just the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
