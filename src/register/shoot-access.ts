// Access to a shoot's API server, as Gardener's extensions get it. Followed:
// - gardener pkg/utils/gardener/shoot.go, NewShootAccessSecret(...).Reconcile: the `shoot-access-<name>` Secret
//   (type Opaque) labelled `resources.gardener.cloud/purpose: token-requestor` and `resources.gardener.cloud/class:
//   shoot`, annotated with the ServiceAccount's name and, for the shoot class, namespace `kube-system`;
// - gardener pkg/controller/tokenrequestor: the token requestor creates that ServiceAccount in the shoot and writes its
//   token into the Secret's `data.token` (and renews it there);
// - gardener pkg/extensions/cluster.go, GenericTokenKubeconfigSecretNameFromCluster: the kubeconfig is the Secret
//   named by the Cluster's `generic-token-kubeconfig.secret.gardener.cloud/name` annotation (the deprecated fixed name
//   `generic-token-kubeconfig` without it), data key `kubeconfig` (extensions/pkg/util/shoot_clients.go reads its
//   kubeconfigs by the same key). Its user names a token file (gardenerutils.PathShootToken) that a pod mounts from
//   the access Secret (gardenerutils.InjectGenericKubeconfig); this process reads the token from the Secret instead.
import type * as k8s from '@kubernetes/client-node';
import type { Logger } from '../observability/logger.js';
import { NeedsFullClient, kubeconfigDataAccess } from '../gardener/kubeconfig-access.js';
import { KubeClient } from '../gardener/kube-client.js';
import type { ClusterAccess } from '../gardener/cluster-access.js';
import type { StoredObject as KubeObject } from '../admission/types.js';
import type { SeedClient } from './seed-client.js';
import { SHOOT_SERVICE_ACCOUNT } from './shoot-access-rbac.js';

export const SHOOT_ACCESS_SECRET_NAME = 'shoot-access-http-proxy-migrator';
// The ServiceAccount in the shoot the token is for, named where the shoot Role binds it: one name for both.
export { SHOOT_SERVICE_ACCOUNT };
export const GENERIC_TOKEN_KUBECONFIG_ANNOTATION = 'generic-token-kubeconfig.secret.gardener.cloud/name';
/** Gardener's name before the annotation existed (v1beta1constants.SecretNameGenericTokenKubeconfig). */
export const LEGACY_GENERIC_TOKEN_KUBECONFIG = 'generic-token-kubeconfig';

const TOKEN_REQUESTOR_LABELS = {
  'resources.gardener.cloud/purpose': 'token-requestor',
  'resources.gardener.cloud/class': 'shoot',
} as const;
const SERVICE_ACCOUNT_ANNOTATIONS = {
  'serviceaccount.resources.gardener.cloud/name': SHOOT_SERVICE_ACCOUNT.name,
  'serviceaccount.resources.gardener.cloud/namespace': SHOOT_SERVICE_ACCOUNT.namespace,
} as const;

/** The access Secret as Gardener's AccessSecret.Reconcile writes it, without data: the token requestor fills it. */
export function shootAccessSecret(namespace: string): k8s.V1Secret & { metadata: { name: string; namespace: string } } {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: SHOOT_ACCESS_SECRET_NAME,
      namespace,
      labels: { ...TOKEN_REQUESTOR_LABELS },
      annotations: { ...SERVICE_ACCOUNT_ANNOTATIONS },
    },
    type: 'Opaque',
  };
}

/** A client for the shoot, or what it waits for (no token yet, no kubeconfig yet). */
export type ShootConnection = { client: KubeClient } | { wait: string };

interface Connected {
  kubeconfigSecret: string;
  access: ClusterAccess;
  client: KubeClient;
  /** Read by the client at every request; replaced when the token requestor renews it. */
  token: { value: string };
}

/**
 * One client per shoot, kept while the shoot moves: its connections are reused from step to step. The token is
 * read from the access Secret at every `connect` (one GET that also ensures the Secret exists), so a renewed token is
 * used from the next step; a rotated cluster CA names another kubeconfig Secret, and the client is rebuilt.
 */
export class ShootAccess {
  private readonly connected = new Map<string, Connected>();

  constructor(
    private readonly seed: SeedClient,
    private readonly logger?: Logger,
  ) {}

  async connect(technicalId: string, cluster: KubeObject): Promise<ShootConnection> {
    const token = await this.ensureAccessSecret(technicalId);
    if (typeof token !== 'string') return token;
    const kubeconfigSecret = cluster.metadata.annotations?.[GENERIC_TOKEN_KUBECONFIG_ANNOTATION] ?? LEGACY_GENERIC_TOKEN_KUBECONFIG;
    const known = this.connected.get(technicalId);
    if (known?.kubeconfigSecret === kubeconfigSecret) {
      known.token.value = token;
      return { client: known.client };
    }
    const secret = await this.seed.getSecret(technicalId, kubeconfigSecret);
    const kubeconfig = decode(secret?.data?.kubeconfig);
    if (!kubeconfig) return { wait: `the kubeconfig Secret ${kubeconfigSecret} with key kubeconfig` };
    this.release(technicalId);
    const current = { value: token };
    let access: ClusterAccess;
    try {
      access = kubeconfigDataAccess(kubeconfig, () => current.value, { server: (server) => inSeedAddress(server, technicalId) });
    } catch (err) {
      // What is wrong with the kubeconfig, never its content (a YAML error quotes the lines around it).
      const what = err instanceof NeedsFullClient ? err.message : 'not readable YAML';
      return { wait: `a usable kubeconfig in Secret ${kubeconfigSecret} (${what})` };
    }
    const client = new KubeClient(access);
    this.connected.set(technicalId, { kubeconfigSecret, access, client, token: current });
    this.logger?.debug({ shoot: technicalId, kubeconfigSecret }, 'shoot client opened');
    return { client };
  }

  /** Closes the shoot's connections: the shoot no longer moves (moved, held, gone). */
  release(technicalId: string): void {
    const known = this.connected.get(technicalId);
    if (!known) return;
    this.connected.delete(technicalId);
    known.access.pool.destroy();
  }

  /** Closes the connections of every shoot not in `moving`: the loop passes the shoots it still steps. */
  retain(moving: ReadonlySet<string>): void {
    for (const id of [...this.connected.keys()]) if (!moving.has(id)) this.release(id);
  }

  /** Shoots with an open client, for bounds checks. */
  openShoots(): string[] {
    return [...this.connected.keys()];
  }

  close(): void {
    for (const id of [...this.connected.keys()]) this.release(id);
  }

  /**
   * Creates the access Secret when it is missing (never updates one: its data is the token requestor's) and
   * returns its token, or what to wait for.
   */
  private async ensureAccessSecret(namespace: string): Promise<string | { wait: string }> {
    const secret = await this.seed.getSecret(namespace, SHOOT_ACCESS_SECRET_NAME);
    if (!secret) {
      try {
        await this.seed.createSecret(shootAccessSecret(namespace));
      } catch (err) {
        // Created meanwhile (another leader's last write): read on the next step.
        if ((err as { status?: number }).status !== 409) throw err;
      }
      return { wait: `the token requestor to fill Secret ${SHOOT_ACCESS_SECRET_NAME}` };
    }
    const labels = secret.metadata?.labels ?? {};
    const annotations = secret.metadata?.annotations ?? {};
    const foreign =
      Object.entries(TOKEN_REQUESTOR_LABELS).some(([k, v]) => labels[k] !== v) ||
      Object.entries(SERVICE_ACCOUNT_ANNOTATIONS).some(([k, v]) => annotations[k] !== v);
    // Not rewritten: the controller may create Secrets but not change them. An operator deletes it to have it re-created.
    if (foreign)
      return {
        wait: `Secret ${SHOOT_ACCESS_SECRET_NAME} to carry the token-requestor labels and annotations (delete it to have it re-created)`,
      };
    const token = decode(secret.data?.token)?.trim();
    if (!token) return { wait: `the token requestor to fill Secret ${SHOOT_ACCESS_SECRET_NAME}` };
    return token;
  }
}

function decode(base64: string | undefined): string | undefined {
  return base64 ? Buffer.from(base64, 'base64').toString('utf8') : undefined;
}

/**
 * The generic token kubeconfig names the shoot's API server as its pods see it from the shoot namespace: the bare
 * Service `kube-apiserver` (gardener's Shoot.ComputeInClusterAPIServerAddress(true)). From the extension's namespace
 * that name needs the namespace; the server certificate covers `kube-apiserver.<namespace>.svc`
 * (kubernetesutils.DNSNamesForService). A scheme-less address is https, as client-go reads it.
 */
export function inSeedAddress(server: string, namespace: string): string {
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `https://${server}`);
  if (!url.hostname.includes('.') && !url.hostname.includes(':') && url.hostname !== 'localhost')
    url.hostname = `${url.hostname}.${namespace}.svc`;
  return url.toString().replace(/\/$/, '');
}
