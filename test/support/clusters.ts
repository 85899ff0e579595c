// Cluster objects as gardenlet writes them into a seed (extensions.gardener.cloud/v1alpha1, named after the
// shoot's technical ID, the Shoot embedded in spec.shoot), generated so that tests need no large files.
import { HOLD_ANNOTATION } from '../../src/rollout/hold.js';

export interface ShootShape {
  project: string;
  name: string;
  purpose?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  hibernated?: boolean;
  workerless?: boolean;
}

export function clusterObject(shape: ShootShape): Record<string, unknown> {
  const technicalId = `shoot--${shape.project}--${shape.name}`;
  return {
    apiVersion: 'extensions.gardener.cloud/v1alpha1',
    kind: 'Cluster',
    metadata: { name: technicalId },
    spec: {
      cloudProfile: { apiVersion: 'core.gardener.cloud/v1beta1', kind: 'CloudProfile', metadata: { name: 'aws' } },
      seed: { apiVersion: 'core.gardener.cloud/v1beta1', kind: 'Seed', metadata: { name: 'aws-eu1' } },
      shoot: {
        apiVersion: 'core.gardener.cloud/v1beta1',
        kind: 'Shoot',
        metadata: {
          name: shape.name,
          namespace: `garden-${shape.project}`,
          ...(shape.labels ? { labels: shape.labels } : {}),
          ...(shape.annotations ? { annotations: shape.annotations } : {}),
        },
        spec: {
          seedName: 'aws-eu1',
          ...(shape.purpose ? { purpose: shape.purpose } : {}),
          ...(shape.hibernated ? { hibernation: { enabled: true } } : {}),
          provider: { type: 'aws', ...(shape.workerless ? {} : { workers: [{ name: 'worker-1', minimum: 2, maximum: 4 }] }) },
        },
        status: { seedName: 'aws-eu1', technicalID: technicalId, ...(shape.hibernated ? { isHibernated: true } : {}) },
      },
    },
  };
}

const PURPOSES = ['evaluation', 'development', 'production', 'testing', undefined];

/** Shoot `from`..`from+count-1` of a seed with 40 projects and every kind of shoot the rollout sets apart. */
export function generatedShapes(count: number, from = 0): ShootShape[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      project: i % 40 === 0 ? 'ops' : `p${i % 40}`,
      name: `s${i}`,
      purpose: PURPOSES[i % PURPOSES.length],
      labels: i % 7 === 0 ? { 'shoot.example.com/canary': 'true' } : undefined,
      annotations: i % 211 === 0 ? { [HOLD_ANNOTATION]: 'true' } : undefined,
      hibernated: i % 53 === 0,
      workerless: i % 97 === 0,
    };
  });
}

export function generatedClusters(count: number, from = 0): Record<string, unknown>[] {
  return generatedShapes(count, from).map(clusterObject);
}
