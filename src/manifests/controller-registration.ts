// The garden-side registration of the Extension type, so that a Shoot may list
// `spec.extensions: [{type: http-proxy-migrator}]` and gardenlet creates the Extension in its seed
// namespace (globallyEnabled false: only shoots that list it).
//
// A registration alone is not enough for such shoots to reconcile: gardenlet's shoot flow waits until a
// ControllerInstallation of a registration for every required kind/type is Installed and Healthy on the
// shoot's seed (Botanist.RequiredExtensionsReady), and gardenlet only installs, and so only marks,
// ControllerDeployments of type helm. This project ships plain manifests (`manifests/server.yaml`,
// installed per seed by the operator), not a Helm chart; so the ControllerDeployment is emitted only when
// the operator names an OCI chart that packages those manifests. Without it, list the type in shoots only
// where something else marks the ControllerInstallation Installed and Healthy.
import { EXTENSION_NAME } from '../gardener/extension-identity.js';
import { COMMON_LABELS } from './names.js';

export interface ControllerRegistrationOptions {
  /** OCI reference of a Helm chart that installs the server and the register controller on a seed. */
  ociChart?: string;
  /** Values for that chart. */
  values?: Record<string, unknown>;
}

export interface GardenObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  [field: string]: unknown;
}

/** The ControllerRegistration, and the ControllerDeployment it refers to when a chart is given. */
export function controllerRegistrationObjects(options: ControllerRegistrationOptions = {}): GardenObject[] {
  const metadata = { name: EXTENSION_NAME, labels: COMMON_LABELS };
  const registration: GardenObject = {
    apiVersion: 'core.gardener.cloud/v1beta1',
    kind: 'ControllerRegistration',
    metadata,
    spec: {
      resources: [{ kind: 'Extension', type: EXTENSION_NAME, globallyEnabled: false }],
      // OnDemand (the default): installed only on seeds that host a shoot listing the type.
      ...(options.ociChart ? { deployment: { deploymentRefs: [{ name: EXTENSION_NAME }] } } : {}),
    },
  };
  if (!options.ociChart) return [registration];
  const deployment: GardenObject = {
    apiVersion: 'core.gardener.cloud/v1',
    kind: 'ControllerDeployment',
    metadata,
    helm: { ociRepository: { ref: options.ociChart }, ...(options.values ? { values: options.values } : {}) },
  };
  return [deployment, registration];
}
