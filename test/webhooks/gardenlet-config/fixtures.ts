// The real renderings, read once: gardenlet configuration carriers and the 13-shoot landscape.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../src/admission/types.js';
import { loadShootFile } from '../../../src/gardener/shoot-file.js';
import { ShootIndex } from '../../../src/gardener/shoot-index.js';
import { loadSeedFile } from '../../../src/cli/seed-file.js';
import { SeedIndex } from '../../../src/gardener/seed-index.js';
import { GATE_CONSTRAINTS } from '../../../src/gardener/removal-gates.js';

export const fixture = (path: string): string => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));

export const SHOOTS_FILE = fixture('shoots/shoots.yaml');
export const SEEDS_FILE = fixture('seeds/seeds.yaml');

/** The seeds' gardenlet releases (aws-eu1 v1.149.0, aws-eu2 v1.121.3, soil-1 v1.143.2). */
export const seedReleases = (): SeedIndex => SeedIndex.of(loadSeedFile(SEEDS_FILE));

export function loadObject(path: string): KubeObject {
  return yaml.load(readFileSync(fixture(path), 'utf8')) as KubeObject;
}

export const configMapEnabling = (): KubeObject => loadObject('gardenlet/configmap.gardenlet-config.remove-http-proxy-legacy-port.yaml');
export const configMapBaseline = (): KubeObject => loadObject('gardenlet/configmap.gardenlet-config.baseline.yaml');
export const managedSeedEnabling = (): KubeObject => loadObject('gardenlet/managedseed.remove-http-proxy-legacy-port.yaml');

/** A Gardenlet (seedmanagement.gardener.cloud/v1alpha1) carrying the ManagedSeed fixture's configuration. */
export function gardenletEnabling(): KubeObject {
  const managedSeed = managedSeedEnabling() as { spec: { gardenlet: { config: unknown } } } & KubeObject;
  return {
    apiVersion: 'seedmanagement.gardener.cloud/v1alpha1',
    kind: 'Gardenlet',
    metadata: { name: 'aws-eu1', namespace: 'garden' },
    spec: {
      deployment: {
        helm: { ociRepository: { ref: 'europe-docker.pkg.dev/gardener-project/releases/charts/gardener/gardenlet:v1.148.0' } },
      },
      config: managedSeed.spec.gardenlet.config,
    },
  };
}

export const landscape = (): ShootIndex => ShootIndex.of(loadShootFile(SHOOTS_FILE, GATE_CONSTRAINTS));

/** config.yaml of a ConfigMap fixture with `edit` applied to its text. */
export function withConfigText(object: KubeObject, edit: (text: string) => string): KubeObject {
  const copy = structuredClone(object) as KubeObject & { data: Record<string, string> };
  copy.data['config.yaml'] = edit(copy.data['config.yaml']!);
  return copy;
}

/** The ManagedSeed fixture with its featureGates replaced. */
export function managedSeedWithGates(gates: unknown, mergeWithParent?: boolean): KubeObject {
  const copy = managedSeedEnabling() as KubeObject & {
    spec: { gardenlet: { config: Record<string, unknown>; mergeWithParent?: boolean } };
  };
  if (gates === undefined) delete copy.spec.gardenlet.config.featureGates;
  else copy.spec.gardenlet.config.featureGates = gates;
  if (mergeWithParent === undefined) delete copy.spec.gardenlet.mergeWithParent;
  else copy.spec.gardenlet.mergeWithParent = mergeWithParent;
  return copy;
}

export const CHART = 'europe-docker.pkg.dev/gardener-project/releases/charts/gardener/gardenlet';

/** A Gardenlet for `seed` whose chart reference names `version`, with these featureGates. */
export function gardenlet(version: string, featureGates: Record<string, boolean>, seed = 'aws-eu1'): KubeObject {
  return {
    apiVersion: 'seedmanagement.gardener.cloud/v1alpha1',
    kind: 'Gardenlet',
    metadata: { name: seed, namespace: 'garden' },
    spec: {
      deployment: { helm: { ociRepository: { ref: `${CHART}:${version}` } } },
      config: { apiVersion: 'gardenlet.config.gardener.cloud/v1alpha1', kind: 'GardenletConfiguration', featureGates },
    },
  };
}
