// The preflight against the live seed: lists the Istio ingress objects every interval and keeps the
// verdict, which the apiserver-proxy webhook reads on each request (it must answer without waiting).
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { PooledKubeConfig, pooledKubeConfig } from '../gardener/pooled-kube-config.js';
import type { IngressReadiness } from '../gardener/services.js';
import type { Phase } from '../gardener/settings.js';
import type { Logger } from '../observability/logger.js';
import { checkIngress } from './check.js';
import { PreflightInputError } from './errors.js';
import { collectIstioObjects, type IstioObject } from './istio-objects.js';
import type { PhaseTraffic } from './phase-traffic.js';
import { IN_CLUSTER } from './in-cluster.js';

export const DEFAULT_REFRESH_MS = 30_000;
const PAGE_SIZE = 500;

const LISTS = [
  { group: 'networking.istio.io', version: 'v1alpha3', plural: 'envoyfilters', kind: 'EnvoyFilter' },
  { group: 'networking.istio.io', version: 'v1beta1', plural: 'gateways', kind: 'Gateway' },
] as const;

/** Gardener's ingress gateways: `istio-ingress`, zonal `istio-ingress--<zone>`, exposure classes `istio-ingress-handler-<name>`. */
export function isIngressNamespace(namespace: string): boolean {
  return namespace === 'istio-ingress' || namespace.startsWith('istio-ingress-');
}

/** One keep-alive connection pool for the refreshes, which list every interval. */
export function loadSeedKubeConfig(source: string): KubeConfig {
  const config = new PooledKubeConfig();
  if (source === IN_CLUSTER) config.loadFromCluster();
  else config.loadFromFile(source);
  return config;
}

export interface SeedIngressOptions {
  kubeConfig: KubeConfig;
  /** The server's own --phase: the verdict that is logged and that check() gives without a phase. */
  traffic: PhaseTraffic;
  /** The other phases a shoot's own target may name, judged from the same lists. */
  otherTraffic?: readonly PhaseTraffic[];
  logger: Logger;
  refreshMs?: number;
  /** How long a judged verdict outlives failing lists of the seed (default 5 minutes). */
  maxStaleMs?: number;
}

const DEFAULT_MAX_STALE_MS = 5 * 60_000;

export class SeedIngressReadiness implements IngressReadiness {
  private verdict: { ready: boolean; reason?: string } = { ready: false, reason: 'seed ingress not checked yet' };
  /** The verdicts for otherTraffic, by phase; they follow the same lists, errors and staleness as `verdict`. */
  private others = new Map<Phase, { ready: boolean; reason?: string }>();
  /** When the seed's objects were last listed and judged. */
  private judgedAt: number | undefined;
  private readonly api: CustomObjectsApi;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SeedIngressOptions) {
    this.api = pooledKubeConfig(options.kubeConfig).makeApiClient(CustomObjectsApi);
  }

  check(phase?: Phase): { ready: boolean; reason?: string } {
    if (phase === undefined || phase === this.options.traffic.phase) return this.verdict;
    return (
      this.others.get(phase) ??
      (this.judgedAt === undefined ? this.verdict : { ready: false, reason: `seed ingress not checked for ${phase}` })
    );
  }

  /**
   * Lists and judges once. A failed list keeps the last verdict for a while: flipping to "not ready" on
   * a passing API error would make every shoot's next resync re-create its apiserver-proxy ConfigMap in
   * the legacy form. Once the verdict is too old, the seed can no longer be vouched for: not ready.
   */
  async refresh(): Promise<void> {
    const previous = this.verdict;
    try {
      const objects = await this.listIngressObjects();
      this.verdict = judge(objects, this.options.traffic);
      this.others = new Map((this.options.otherTraffic ?? []).map((traffic) => [traffic.phase, judge(objects, traffic)]));
      this.judgedAt = Date.now();
    } catch (err) {
      if (err instanceof PreflightInputError) {
        this.notReady(err.message);
        this.judgedAt = Date.now();
      } else {
        const reason = `cannot list the seed's Istio objects: ${(err as Error).message}`;
        const fresh = this.judgedAt !== undefined && Date.now() - this.judgedAt <= (this.options.maxStaleMs ?? DEFAULT_MAX_STALE_MS);
        if (fresh) this.options.logger.warn({ reason }, 'seed ingress not listed; the last verdict stands for now');
        else this.notReady(reason);
      }
    }
    if (previous.ready !== this.verdict.ready || previous.reason !== this.verdict.reason) {
      const log = this.options.logger;
      if (this.verdict.ready) log.info('seed ingress routes the phase traffic: the apiserver-proxy webhook mutates');
      else log.warn({ reason: this.verdict.reason }, 'seed ingress not ready: the apiserver-proxy webhook admits unchanged');
    }
  }

  private notReady(reason: string): void {
    this.verdict = { ready: false, reason };
    this.others = new Map((this.options.otherTraffic ?? []).map((traffic) => [traffic.phase, this.verdict]));
  }

  /** Checks now and every interval; until the first check ends the verdict is "not ready". */
  start(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs ?? DEFAULT_REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async listIngressObjects(): Promise<IstioObject[]> {
    const items: unknown[] = [];
    for (const list of LISTS) {
      let next: string | undefined;
      do {
        const page = (await this.api.listClusterCustomObject({
          group: list.group,
          version: list.version,
          plural: list.plural,
          limit: PAGE_SIZE,
          _continue: next,
        })) as { items?: unknown[]; metadata?: { _continue?: string; continue?: string } };
        // Lists leave kind and apiVersion off their items.
        for (const item of page.items ?? [])
          items.push({ apiVersion: `${list.group}/${list.version}`, kind: list.kind, ...(item as object) });
        next = page.metadata?.continue || page.metadata?._continue || undefined;
      } while (next);
    }
    return collectIstioObjects(items).objects.filter((o) => isIngressNamespace(o.namespace));
  }
}

function judge(objects: readonly IstioObject[], traffic: PhaseTraffic): { ready: boolean; reason?: string } {
  const result = checkIngress(objects, traffic);
  return result.ready ? { ready: true } : { ready: false, reason: result.reason };
}
