// Which registered webhook the apiserver would call for an object, judged offline from its registration
// (rules and object selector; a namespace selector needs the namespace's labels and is not judged here).
import type { KubeObject } from './types.js';
import { matchesLabelSelector } from './selector.js';
import type { Webhook, WebhookPlacement } from './webhook.js';

export interface ObjectResource {
  group: string;
  version: string;
  resource: string;
  kind: string;
}

/** The resource of a typed object: its group/version and the plural the apiserver uses for its kind. */
export function resourceOf(object: KubeObject): ObjectResource | undefined {
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return undefined;
  const slash = object.apiVersion.indexOf('/');
  const group = slash === -1 ? '' : object.apiVersion.slice(0, slash);
  const version = slash === -1 ? object.apiVersion : object.apiVersion.slice(slash + 1);
  return { group, version, resource: guessResource(object.kind), kind: object.kind };
}

/** The plural the apiserver registers for a kind, by the rules of client-go's UnsafeGuessKindToResource. */
function guessResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y') && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function placementMatches(placement: WebhookPlacement, resource: ObjectResource, object: KubeObject, operation: string): boolean {
  const ruleMatches = placement.rules.some(
    (rule) =>
      (rule.operations.includes('*') || rule.operations.includes(operation as never)) &&
      (rule.apiGroups.includes('*') || rule.apiGroups.includes(resource.group)) &&
      (rule.apiVersions.includes('*') || rule.apiVersions.includes(resource.version)) &&
      (rule.resources.includes('*') || rule.resources.includes(resource.resource)),
  );
  return ruleMatches && matchesLabelSelector(placement.objectSelector, object.metadata?.labels);
}

/** The webhooks of `type` the apiserver would call for this object on `operation`, in registry order. */
export function webhooksFor(webhooks: readonly Webhook[], object: KubeObject, type: Webhook['type'], operation = 'CREATE'): Webhook[] {
  const resource = resourceOf(object);
  if (!resource) return [];
  return webhooks.filter((w) => w.type === type && w.placements.some((p) => placementMatches(p, resource, object, operation)));
}
