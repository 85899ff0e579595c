// A shoot's webhook configuration differs from another shoot's only by the technical ID in its URLs and
// its target (the CA bundle and the service are the same for every shoot of a seed). Serializing the whole
// object to YAML for each of thousands of shoots is most of a registration's rendering cost, so the
// YAML is rendered once per configuration with a stand-in ID and the real ID spliced in. Splicing is
// only used where it provably yields toYaml's own bytes: the ID is a DNS label (no character that
// changes YAML quoting), and two different stand-ins render to the same text around them. A seed's shoots
// have a handful of targets (none, tls-tunnel, unified, hold): one template each.
import type { Webhook } from '../admission/webhook.js';
import { shootWebhookConfiguration, type ShootWebhookOptions } from '../../webhooks/webhook-configurations.js';
import { toYaml } from './manifest-data.js';

export interface RenderedConfiguration {
  /** What encodeManifest needs of the object (kind and identity do not depend on the shoot). */
  head: { kind: string; metadata: { name: string; namespace?: string } };
  yaml: string;
}

/** Namespaces are DNS labels; Gardener's technical IDs are `shoot--<project>--<name>`. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const STAND_INS = ['shoot--stand--in0', 'shoot--other--in1'] as const;

interface Template {
  head: RenderedConfiguration['head'];
  /** The YAML split at the stand-in ID; undefined when splicing would not be exact. */
  parts?: string[];
}

/** Templates by target for one set of settings: those are the same for every shoot until the CA bundle rotates. */
let last: { key: string; webhooks: readonly Webhook[]; byTarget: Map<string | undefined, Template> } | undefined;

/** The shoot's MutatingWebhookConfiguration as toYaml renders it, from the template when that is exact. */
export function renderShootConfiguration(
  webhooks: readonly Webhook[],
  options: ShootWebhookOptions & { technicalId: string },
): RenderedConfiguration {
  const { technicalId, ...shared } = options;
  if (!DNS_LABEL.test(technicalId)) return render(webhooks, options);
  const key = JSON.stringify([shared.namespace, shared.serviceName, shared.servicePort, shared.caBundle]);
  if (last?.key !== key || last.webhooks !== webhooks) last = { key, webhooks, byTarget: new Map() };
  let found = last.byTarget.get(shared.target);
  if (!found) {
    found = template(webhooks, shared);
    last.byTarget.set(shared.target, found);
  }
  if (!found.parts) return render(webhooks, options);
  return { head: found.head, yaml: found.parts.join(technicalId) };
}

function render(webhooks: readonly Webhook[], options: ShootWebhookOptions): RenderedConfiguration {
  const object = shootWebhookConfiguration(webhooks, options) as RenderedConfiguration['head'];
  return {
    head: { kind: object.kind, metadata: { name: object.metadata.name, namespace: object.metadata.namespace } },
    yaml: toYaml(object),
  };
}

function template(webhooks: readonly Webhook[], shared: Omit<ShootWebhookOptions, 'technicalId'>): Template {
  const [a, b] = STAND_INS.map((technicalId) => render(webhooks, { ...shared, technicalId }));
  const partsA = a!.yaml.split(STAND_INS[0]);
  const partsB = b!.yaml.split(STAND_INS[1]);
  const exact =
    partsA.length === partsB.length && partsA.every((part, i) => part === partsB[i]) && !JSON.stringify(a!.head).includes(STAND_INS[0]);
  return { head: a!.head, parts: exact ? partsA : undefined };
}
