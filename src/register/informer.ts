// A client-node list-watch that keeps itself running: client-node's informer stops on a failed list or
// watch and leaves restarting to its user. Restarts back off exponentially; `synced` resolves after the
// first complete list.
import * as k8s from '@kubernetes/client-node';
import type { Logger } from '../observability/logger.js';
import type { KubeObject } from './seed-client.js';

export interface WatchOptions {
  kubeConfig: k8s.KubeConfig;
  /** API path of the collection, e.g. /api/v1/namespaces. */
  path: string;
  list: (selectors: { labelSelector?: string; fieldSelector?: string }) => Promise<k8s.KubernetesListObject<k8s.KubernetesObject>>;
  labelSelector?: string;
  fieldSelector?: string;
  logger: Logger;
  onChange: (verb: 'add' | 'update' | 'delete', object: KubeObject) => void;
  backoff?: { baseMs: number; maxMs: number };
}

export class SelfHealingInformer {
  private readonly informer: k8s.ListWatch<k8s.KubernetesObject>;
  readonly synced: Promise<void>;
  private markSynced!: () => void;
  private failedDuringStart = false;
  private failures = 0;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: WatchOptions) {
    const { labelSelector, fieldSelector } = options;
    this.synced = new Promise((resolve) => (this.markSynced = resolve));
    this.informer = new k8s.ListWatch<k8s.KubernetesObject>(
      options.path,
      new k8s.Watch(options.kubeConfig),
      () => options.list({ labelSelector, fieldSelector }),
      false,
      labelSelector,
      fieldSelector,
    );
    for (const verb of ['add', 'update', 'delete'] as const) this.informer.on(verb, (o) => options.onChange(verb, o as unknown as KubeObject));
    this.informer.on('error', (err: unknown) => this.failed(err));
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.failedDuringStart = false;
    await this.informer.start();
    if (!this.failedDuringStart && !this.stopped) {
      this.failures = 0;
      this.markSynced();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.informer.stop();
  }

  list(namespace?: string): KubeObject[] {
    return this.informer.list(namespace) as unknown as KubeObject[];
  }

  get(name: string, namespace?: string): KubeObject | undefined {
    return this.informer.get(name, namespace) as unknown as KubeObject | undefined;
  }

  private failed(err: unknown): void {
    this.failedDuringStart = true;
    if (this.stopped) return;
    const { baseMs, maxMs } = this.options.backoff ?? { baseMs: 200, maxMs: 30_000 };
    const delay = Math.min(baseMs * 2 ** this.failures++, maxMs);
    this.options.logger.warn({ path: this.options.path, err: (err as Error)?.message ?? String(err), retryInMs: delay }, 'list-watch failed; restarting');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.start(), delay);
  }
}
