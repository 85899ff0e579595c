// A synthetic shoot snapshot for the gardenlet-config scenario: thousands of copies of the fixture's
// fully migrated shoot, spread over a few seeds, with a small share in each state the gardenlet's
// migration check distinguishes. Written as JSON, as `kubectl get shoots -A -o json` would be.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { KubeObject } from '../src/admission/types.js';
import { fixtureDocuments } from './paths.js';
import { GATED_SEED } from './reviews.js';

const SEEDS = [GATED_SEED, 'aws-eu2', 'aws-us1', 'gcp-eu1', 'gcp-us1', 'azure-eu1', 'azure-ap1', 'openstack-eu1'];

export interface SnapshotSummary {
  shoots: number;
  seeds: number;
  bytes: number;
  /** Shoots on GATED_SEED that keep RemoveHTTPProxyLegacyPort from being turned on. */
  blockingOnGatedSeed: number;
}

type Shoot = KubeObject & { spec: Record<string, unknown>; status: Record<string, unknown> };
interface Condition {
  type: string;
  status: string;
  [key: string]: unknown;
}

export function writeShootSnapshot(file: string, count: number): SnapshotSummary {
  const template = fixtureDocuments('shoots/shoots.yaml').find((d) => (d as KubeObject).metadata?.name === 'alpha') as Shoot | undefined;
  if (!template) throw new Error('shoots/shoots.yaml no longer has the migrated shoot alpha');
  const items: Shoot[] = [];
  let blockingOnGatedSeed = 0;
  for (let i = 0; i < count; i++) {
    const shoot = structuredClone(template);
    const project = `team${String(i % 40).padStart(2, '0')}`;
    const name = `cluster-${String(i).padStart(5, '0')}`;
    const seed = SEEDS[i % SEEDS.length]!;
    const uid = randomUUID();
    shoot.metadata = { ...shoot.metadata, name, namespace: `garden-${project}`, uid };
    shoot.spec.seedName = seed;
    Object.assign(shoot.status, { seedName: seed, technicalID: `shoot--${project}--${name}`, uid });
    const constraints = shoot.status.constraints as Condition[];
    // Out of every hundred shoots of a seed: three block the gate, two are skipped by the check, the rest are migrated.
    let blocks = false;
    switch (Math.floor(i / SEEDS.length) % 100) {
      case 11: // the VPN is not on the unified port yet
        constraints.find((c) => c.type === 'UsesUnifiedHTTPProxyPort')!.status = 'False';
        blocks = true;
        break;
      case 37: // reconciled before the constraint existed
        shoot.status.constraints = constraints.filter((c) => c.type !== 'UsesUnifiedHTTPProxyPort');
        blocks = true;
        break;
      case 59: // reconciliation keeps failing: no constraints reported at all
        shoot.status.constraints = [];
        blocks = true;
        break;
      case 73: // workerless: no VPN, nothing to migrate
        (shoot.spec.provider as Record<string, unknown>).workers = [];
        break;
      case 89: // still being created
        shoot.status.lastOperation = { ...(shoot.status.lastOperation as object), type: 'Create', state: 'Processing', progress: 40 };
        break;
    }
    if (blocks && seed === GATED_SEED) blockingOnGatedSeed++;
    items.push(shoot);
  }
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items });
  writeFileSync(file, text);
  return { shoots: count, seeds: SEEDS.length, bytes: Buffer.byteLength(text), blockingOnGatedSeed };
}
