// Talking to the garden cluster: its kubeconfig, and a paged list of shoots reduced page by page, so
// a large landscape never sits in memory as full objects.
import * as k8s from '@kubernetes/client-node';
import type { ShootSummary } from './services.js';
import { InputError } from '../util/input-error.js';
import { PooledKubeConfig } from './pooled-kube-config.js';
import { isSummary, summarizeShoot } from './shoot-summary.js';
import { summarizeSeed, type SeedSummary } from './seed-index.js';

const SHOOTS = { group: 'core.gardener.cloud', version: 'v1beta1', plural: 'shoots' } as const;
export const SHOOTS_PATH = `/apis/${SHOOTS.group}/${SHOOTS.version}/${SHOOTS.plural}`;
const PAGE_SIZE = 500;

/**
 * `file`, else the pod's service account when running in a cluster and `inCluster` allows it; every
 * client made from it (lists, the shoot informer's watch) shares one keep-alive connection pool.
 */
export function gardenKubeConfig(file: string | undefined, inCluster: boolean): k8s.KubeConfig | undefined {
  const kc = new PooledKubeConfig();
  if (file) {
    try {
      kc.loadFromFile(file);
    } catch (err) {
      throw new InputError(`cannot load garden kubeconfig ${file}: ${(err as NodeJS.ErrnoException).code ?? firstLine(err)}`);
    }
    if (!kc.getCurrentCluster()) throw new InputError(`garden kubeconfig ${file} has no current cluster`);
    return kc;
  }
  if (inCluster && process.env.KUBERNETES_SERVICE_HOST) {
    kc.loadFromCluster();
    return kc;
  }
  return undefined;
}

export interface ShootPage {
  resourceVersion: string;
  shoots: ShootSummary[];
  /** Objects the API returned that could not be summarised (counted, never echoed). */
  unreadable: number;
}

/** Every shoot in every namespace, one page at a time (a consistent snapshot, per the list contract). */
export async function listShoots(kc: k8s.KubeConfig, constraintTypes: ReadonlySet<string>, pageSize = PAGE_SIZE): Promise<ShootPage> {
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const shoots: ShootSummary[] = [];
  let unreadable = 0;
  let resourceVersion = '';
  let next: string | undefined;
  do {
    const page = (await api.listClusterCustomObject({ ...SHOOTS, limit: pageSize, _continue: next })) as {
      metadata?: { resourceVersion?: string; continue?: string };
      items?: unknown[];
    };
    for (const item of page.items ?? []) {
      const summary = summarizeShoot(item, constraintTypes);
      if (isSummary(summary)) shoots.push(summary);
      else unreadable++;
    }
    resourceVersion = page.metadata?.resourceVersion ?? '';
    next = page.metadata?.continue || undefined;
  } while (next);
  return { resourceVersion, shoots, unreadable };
}

/** An API error in one line: status code and the server's message, never request details. */
export function describeApiError(err: unknown): string {
  const e = err as { code?: unknown; statusCode?: unknown; body?: unknown };
  const code = typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (code !== undefined) {
    let message: unknown;
    try {
      message = (typeof e.body === 'string' ? (JSON.parse(e.body) as { message?: unknown }) : (e.body as { message?: unknown }))?.message;
    } catch {
      message = undefined;
    }
    return `HTTP ${code}${typeof message === 'string' ? `: ${message.slice(0, 200)}` : ''}`;
  }
  return firstLine(err);
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n', 1)[0]!.slice(0, 200);
}

const SEEDS = { group: 'core.gardener.cloud', version: 'v1beta1', plural: 'seeds' } as const;
export const SEEDS_PATH = `/apis/${SEEDS.group}/${SEEDS.version}/${SEEDS.plural}`;

/** Every seed, reduced to its name and gardenlet release (seeds are few: one page). */
export async function listSeeds(kc: k8s.KubeConfig): Promise<{ resourceVersion: string; seeds: SeedSummary[] }> {
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const list = (await api.listClusterCustomObject({ ...SEEDS })) as { metadata?: { resourceVersion?: string }; items?: unknown[] };
  const seeds: SeedSummary[] = [];
  for (const item of list.items ?? []) {
    const seed = summarizeSeed(item);
    if (seed) seeds.push(seed);
  }
  return { resourceVersion: list.metadata?.resourceVersion ?? '', seeds };
}
