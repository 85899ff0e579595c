// Loading the vpn-shoot renderings from test/fixtures/vpn-shoot: Gardener's own, and the HA StatefulSet
// built for this project from Gardener's rendering rules (each file's header says which). Each load is a
// fresh object a test may change.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { MigrationSettings } from '../../../src/gardener/settings.js';

const renderings = new URL('../../fixtures/vpn-shoot/', import.meta.url);

export type KubeObject = Record<string, unknown>;

export const fixtures = {
  legacyDeployment: () => load('deployment.legacy-v1.129.yaml'),
  unifiedDeploymentV130: () => load('deployment.unified-v1.130-fg-enabled.yaml'),
  expectedDeployment: () => load('deployment.expected-after-mutation.unified.yaml'),
  legacyStatefulSet: () => load('statefulset.ha-legacy-v1.129.yaml'),
  expectedStatefulSet: () => load('statefulset.ha.expected-after-mutation.unified.yaml'),
};

export const unified: MigrationSettings = { phase: 'unified', istioTlsTermination: false, assumeVpnClientCompatible: false };
export const tlsTunnel: MigrationSettings = { ...unified, phase: 'tls-tunnel' };

function load(file: string): KubeObject {
  return yaml.load(readFileSync(new URL(file, renderings), 'utf8')) as KubeObject;
}

/** The pod template's containers, for tests that reshape a rendering. */
export function containersOf(object: KubeObject): KubeObject[] {
  const spec = object.spec as { template: { spec: { containers: KubeObject[] } } };
  return spec.template.spec.containers;
}

export function envOf(container: KubeObject): { name: string; value?: string; valueFrom?: unknown }[] {
  return container.env as { name: string; value?: string; valueFrom?: unknown }[];
}

/** Every container (and init container) on another image, as an older or differently pinned Gardener renders it. */
export function withImage(object: KubeObject, image: string): KubeObject {
  const podSpec = (object.spec as { template: { spec: { containers: KubeObject[]; initContainers?: KubeObject[] } } }).template.spec;
  for (const container of [...podSpec.containers, ...(podSpec.initContainers ?? [])]) container.image = image;
  return object;
}

export const VPN_CLIENT_REPOSITORY = 'europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-client';
