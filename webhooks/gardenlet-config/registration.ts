// Registration of the gardenlet-config webhook: gardenlet configuration in the seed (ConfigMap) and
// in the garden cluster (ManagedSeed, Gardenlet). The pure decision is validate.ts; verdict.ts answers it.
import type { AdmissionRequest } from '../../src/admission/types.js';
import type { MigrationContext, MigrationWebhook, MigrationWebhookContext } from '../context.js';
import { parseRelease } from '../../src/gardener/releases.js';
import { decide, type DecisionInputs } from './validate.js';
import { toVerdict } from './verdict.js';

export const gardenletConfigWebhook: MigrationWebhook = {
  name: 'gardenlet-config',
  path: '/webhooks/gardenlet-config',
  type: 'validating',
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
  placements: [
    {
      target: 'seed',
      rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'garden' } },
      objectSelector: { matchLabels: { app: 'gardener', role: 'gardenlet' } },
    },
    {
      target: 'garden',
      // Its own path: the server counts the garden's calls, which tells whether gardener-apiserver consults it.
      path: '/webhooks/gardenlet-config/garden',
      rules: [
        {
          operations: ['CREATE', 'UPDATE'],
          apiGroups: ['seedmanagement.gardener.cloud'],
          apiVersions: ['v1alpha1'],
          resources: ['managedseeds', 'gardenlets'],
        },
      ],
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'garden' } },
    },
  ],
  // Dry-run needs nothing special: the decision has no side effects, so it answers the same.
  handle: (request: AdmissionRequest, context: MigrationWebhookContext) =>
    toVerdict(
      decide(
        { operation: request.operation ?? 'CREATE', object: request.object, oldObject: request.oldObject, kind: request.kind?.kind },
        decisionInputs(context),
      ),
    ),
  describe: () => 'refuses gardenlet configuration that turns a legacy-port removal gate on while shoots of its seed lack the constraint',
};

/** The shoots, the seeds' releases and --gardener-version (checked when the setting was read). */
export function decisionInputs(context: MigrationContext): DecisionInputs {
  const text = context.settings.gardenerVersion;
  const parsed = text === undefined ? undefined : parseRelease(text);
  return { shoots: context.services.shoots, seeds: context.services.seeds, fallback: parsed?.ok ? parsed.release : undefined };
}
