// A generated landscape for the status page and the metrics: one large seed (10,000 shoots in every
// state gardenlet's check knows, blocking for several of the audit's reasons) and one small seed whose
// names, reasons and errors carry markup; and the seeds' gardenlet releases (one known, one not).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const GATES = ['APIServerProxyUsesHTTPProxy', 'UsesUnifiedHTTPProxyPort'];
const WORKERS = { workers: [{ name: 'worker-1' }] };

interface ShootSpec {
  name: string;
  seed: string;
  workerless?: boolean;
  lastOperation?: { type: string; state: string; description?: string };
  ignored?: boolean;
  /** Status of both constraints; undefined: no constraints. */
  constraint?: string;
}

function shoot(s: ShootSpec): object {
  return {
    apiVersion: 'core.gardener.cloud/v1beta1',
    kind: 'Shoot',
    metadata: { name: s.name, namespace: 'garden-dev', ...(s.ignored ? { annotations: { 'shoot.gardener.cloud/ignore': 'true' } } : {}) },
    spec: { seedName: s.seed, provider: s.workerless ? { workers: [] } : WORKERS },
    status: {
      lastOperation: s.lastOperation ?? { type: 'Reconcile', state: 'Succeeded' },
      ...(s.constraint === undefined ? {} : { constraints: GATES.map((type) => ({ type, status: s.constraint })) }),
    },
  };
}

export const HOSTILE_NAME = '<script>window.__xss = "name"</script>';
export const HOSTILE_STATUS = '<img src=x onerror="window.__xss = \'reason\'">';
export const HOSTILE_STATE = '<script>window.__xss = "state"</script>';
export const HOSTILE_ERROR = '<b onmouseover="window.__xss = \'error\'">quota exceeded</b>';

/** What the page must show for the large seed, per gate (both gates alike). */
export const LARGE = {
  seed: 'aws-eu1',
  migrated: 6000,
  missing: 2900,
  false: 500,
  failed: 80,
  ignored: 20,
  workerless: 300,
  creating: 200,
};
/** The large seed's gardenlet release (in the seed snapshot); the small seed has none. */
export const LARGE_SEED_RELEASE = 'v1.149.2';

export function landscapeShoots(): object[] {
  const shoots: object[] = [];
  const add = (count: number, prefix: string, spec: Omit<ShootSpec, 'name'>): void => {
    for (let i = 0; i < count; i++) shoots.push(shoot({ name: `${prefix}-${String(i).padStart(5, '0')}`, ...spec }));
  };
  add(LARGE.migrated, 'migrated', { seed: LARGE.seed, constraint: 'True' });
  add(LARGE.missing, 'missing', { seed: LARGE.seed });
  add(LARGE.false, 'legacy', { seed: LARGE.seed, constraint: 'False' });
  add(LARGE.failed, 'failed', {
    seed: LARGE.seed,
    lastOperation: { type: 'Reconcile', state: 'Error', description: 'infrastructure: timed out' },
  });
  add(LARGE.ignored, 'ignored', { seed: LARGE.seed, ignored: true });
  add(LARGE.workerless, 'workerless', { seed: LARGE.seed, workerless: true });
  add(LARGE.creating, 'creating', { seed: LARGE.seed, lastOperation: { type: 'Create', state: 'Processing' } });
  shoots.push(shoot({ name: HOSTILE_NAME, seed: 'gcp-us1' }));
  shoots.push(shoot({ name: 'odd-status', seed: 'gcp-us1', constraint: HOSTILE_STATUS }));
  shoots.push(shoot({ name: 'odd-state', seed: 'gcp-us1', lastOperation: { type: 'Create', state: HOSTILE_STATE } }));
  shoots.push(shoot({ name: 'done', seed: 'gcp-us1', constraint: 'True' }));
  shoots.push(
    shoot({ name: 'odd-error', seed: 'gcp-us1', lastOperation: { type: 'Reconcile', state: 'Error', description: HOSTILE_ERROR } }),
  );
  return shoots;
}

/** Seeds as `kubectl get seeds -o yaml` lists them: the large seed's gardenlet reports its release, the small one's none yet. */
export function landscapeSeeds(): object[] {
  const seed = (name: string, version?: string): object => ({
    apiVersion: 'core.gardener.cloud/v1beta1',
    kind: 'Seed',
    metadata: { name },
    status: version === undefined ? {} : { gardener: { version } },
  });
  return [seed(LARGE.seed, LARGE_SEED_RELEASE), seed('gcp-us1')];
}

/** Writes the seeds as a JSON List into `dir`; returns the file. */
export function writeLandscapeSeeds(dir: string): string {
  const file = join(dir, 'seeds.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: landscapeSeeds() }));
  return file;
}

/** Writes the landscape as a JSON List into `dir`; returns the file. */
export function writeLandscape(dir: string): string {
  const file = join(dir, 'landscape.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: landscapeShoots() }));
  return file;
}
