// The desired state for one shoot namespace, computed without a cluster: the shoot's
// MutatingWebhookConfiguration, wrapped in an immutable, content-named Secret and a class-less
// ManagedResource, exactly as Gardener's shoot.ReconcileWebhookConfig writes it (managedresources.Create
// with an empty class, no secret name prefix).
import type { Webhook } from '../admission/webhook.js';
import { EXTENSION_NAME } from '../gardener/extension-identity.js';
import { HOLD, type ShootTarget } from '../gardener/shoot-target.js';
import { webhooks as registry } from '../../webhooks/index.js';
import { encodeManifests, toYaml, type DataFormat } from './manifest-data.js';
import { renderShootConfiguration } from './manifest-template.js';
import { shootAccessRbac } from './shoot-access-rbac.js';
import { GARBAGE_COLLECTABLE_LABEL, referenceAnnotationKey, uniqueSecretName } from './secret-name.js';

export const MANAGED_RESOURCE_NAME = `extension-${EXTENSION_NAME}-shoot-webhooks`;

export interface ShootWebhookInput {
  /** The shoot's namespace in the seed, which is also its technical ID. */
  namespace: string;
  /** PEM bundle the server certificates are signed by (may hold the old and the new CA during rotation). */
  caBundle: string;
  /** Where the extension's Service lives: the webhook URL host is `<serviceName>.<serviceNamespace>`. */
  serviceNamespace: string;
  serviceName?: string;
  servicePort?: number;
  format?: DataFormat;
  webhooks?: readonly Webhook[];
  /** The shoot's own target, rendered into its webhook paths (`hold`: admitted unchanged); absent: the server's --phase. */
  target?: ShootTarget;
  /**
   * The rollout runs (`register --waves`): a shoot whose target is a phase (it has entered its wave and is not held)
   * also gets the Role and RoleBinding its move uses in the shoot (shoot-access-rbac.ts), so they arrive with the
   * target in one write and go when the shoot is held or leaves the rollout.
   */
  shootAccessRbac?: boolean;
}

export interface SecretObject {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: 'Opaque';
  immutable: true;
  /** base64, as the API stores it. */
  data: Record<string, string>;
}

export interface ManagedResourceObject {
  apiVersion: 'resources.gardener.cloud/v1alpha1';
  kind: 'ManagedResource';
  metadata: { name: string; namespace: string; annotations: Record<string, string> };
  spec: { secretRefs: { name: string }[]; keepObjects: false };
}

export interface DesiredResources {
  /** What the shoot receives as YAML (the MutatingWebhookConfiguration, and the move's Role where given), for content comparison. */
  manifest: string;
  secret: SecretObject;
  managedResource: ManagedResourceObject;
}

export function desiredResources(input: ShootWebhookInput): DesiredResources {
  // Serialized once: the secret's data and the text compared against are the same YAML.
  const { head, yaml: configuration } = renderShootConfiguration(input.webhooks ?? registry, {
    namespace: input.serviceNamespace,
    serviceName: input.serviceName,
    servicePort: input.servicePort,
    caBundle: input.caBundle,
    technicalId: input.namespace,
    target: input.target,
  });
  const objects = [
    { head, yaml: configuration },
    ...(input.shootAccessRbac && input.target !== undefined && input.target !== HOLD ? shootAccessRbacYaml() : []),
  ];
  const { data: raw, text: manifest } = encodeManifests(objects, input.format ?? 'brotli');
  const name = uniqueSecretName(MANAGED_RESOURCE_NAME, raw);
  const secret: SecretObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: input.namespace, labels: { [GARBAGE_COLLECTABLE_LABEL]: 'true' } },
    type: 'Opaque',
    immutable: true,
    data: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.toString('base64')])),
  };
  return { manifest, secret, managedResource: managedResourceFor(input.namespace, name) };
}

/**
 * No class, so the shoot's resource manager applies it into the shoot. The reference annotation keeps
 * the resource manager's garbage collector from deleting the secret; superseded secrets lose it and
 * are collected, as for every Gardener ManagedResource.
 */
export function managedResourceFor(namespace: string, secretName: string): ManagedResourceObject {
  return {
    apiVersion: 'resources.gardener.cloud/v1alpha1',
    kind: 'ManagedResource',
    metadata: {
      name: MANAGED_RESOURCE_NAME,
      namespace,
      annotations: { [referenceAnnotationKey('secret', secretName)]: secretName },
    },
    spec: { secretRefs: [{ name: secretName }], keepObjects: false },
  };
}

let rbacYaml: { head: { kind: string; metadata: { name: string; namespace?: string } }; yaml: string }[] | undefined;

/** The same for every shoot: rendered once. */
function shootAccessRbacYaml(): NonNullable<typeof rbacYaml> {
  rbacYaml ??= shootAccessRbac().map((object) => ({ head: { kind: object.kind, metadata: object.metadata }, yaml: toYaml(object) }));
  return rbacYaml;
}
