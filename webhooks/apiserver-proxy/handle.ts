// The admission handler: the pure mutation, the seed readiness gate, and the stored configuration: an
// update never takes a shoot below the rendering it already runs.
import { fromMutation } from '../../src/admission/mutation.js';
import { skipped, type Verdict } from '../../src/admission/response.js';
import type { AdmissionRequest, KubeObject } from '../../src/admission/types.js';
import type { MigrationWebhookContext } from '../context.js';
import { apiserverProxyOrder } from '../../src/gardener/renderings.js';
import { APISERVER_PROXY_LABELS, ENVOY_CONFIG_KEY, mutateApiserverProxyConfigMap, renderingOfEnvoy } from './mutate.js';

export function handleApiserverProxy(request: AdmissionRequest, context: MigrationWebhookContext): Verdict {
  const object = request.object;
  if (!object) return skipped('unrecognised', 'apiserver-proxy: the request carries no object; admitted unchanged');
  const { verdict, result } = decide(request, object, context);
  const stored = storedAhead(request, object, result);
  if (stored === undefined) return verdict;
  // The resource manager re-applies an older rendering over one the shoot already runs (a lowered --phase, or a
  // webhook outage): the stored data stays, and the update is a no-op.
  const kept = { ...object, data: { ...(object.data as Record<string, unknown>), [ENVOY_CONFIG_KEY]: stored } };
  return fromMutation(object, {
    object: kept,
    reason: 'ahead-of-target',
    warnings: ['apiserver-proxy: the stored config is ahead of this update; kept as stored'],
  });
}

/** The answer, and the object it leaves in the cluster. */
function decide(request: AdmissionRequest, object: KubeObject, context: MigrationWebhookContext): { verdict: Verdict; result: KubeObject } {
  const mutation = mutateApiserverProxyConfigMap(object, context.settings, context.pathParameter);
  // No diff, no readiness check: on a migrated seed this is nearly every answer.
  if (mutation.reason !== 'moved') return { verdict: fromMutation(object, mutation), result: object };

  // Only asked when the proxy would move: the seed must route the new port and header first.
  const ingress = context.services.ingress?.check();
  if (ingress && !ingress.ready) {
    const why = ingress.reason ? `: ${ingress.reason}` : '';
    const verdict = skipped('ingress-not-ready', `apiserver-proxy: seed ingress not ready for ${context.settings.phase}${why}; admitted unchanged`);
    return { verdict, result: object };
  }
  const warnings = [...mutation.warnings, ...storedConfigurationWarning(request, mutation.object)];
  return { verdict: fromMutation(object, { ...mutation, warnings }), result: mutation.object };
}

/**
 * The stored envoy.yaml of an UPDATE when the answer would leave the shoot on an earlier rendering than
 * it: forward only holds for what the shoot runs, not just for what the update carries.
 */
function storedAhead(request: AdmissionRequest, object: KubeObject, result: KubeObject): string | undefined {
  if (request.operation !== 'UPDATE') return undefined;
  const stored = envoyText(request.oldObject);
  const resultText = envoyText(result);
  // An unchanged resync (the common UPDATE) ends here: the answer leaves or makes exactly the stored data.
  if (stored === undefined || resultText === undefined || stored === resultText || !isApiserverProxyConfigMap(object)) return undefined;
  const storedRendering = renderingOfEnvoy(stored);
  const resultRendering = renderingOfEnvoy(resultText);
  if (storedRendering === undefined || resultRendering === undefined) return undefined;
  return apiserverProxyOrder(storedRendering) > apiserverProxyOrder(resultRendering) ? stored : undefined;
}

function isApiserverProxyConfigMap(object: KubeObject): boolean {
  return object.kind === 'ConfigMap' && Object.entries(APISERVER_PROXY_LABELS).every(([k, v]) => object.metadata?.labels?.[k] === v);
}

function envoyText(object: KubeObject | null | undefined): string | undefined {
  const text = (object?.data as Record<string, unknown> | undefined)?.[ENVOY_CONFIG_KEY];
  return typeof text === 'string' ? text : undefined;
}

/**
 * The ConfigMap is immutable: an UPDATE whose data differs from the stored data is refused by the
 * apiserver, and the resource manager then deletes and re-creates it (a CREATE, mutated into the
 * configured phase). Envoy reads its configuration only at start, so the operator must restart the pods.
 */
function storedConfigurationWarning(request: AdmissionRequest, mutated: AdmissionRequest['object']): string[] {
  const stored = request.oldObject;
  if (request.operation !== 'UPDATE' || !stored || stored.immutable !== true) return [];
  const storedText = (stored.data as Record<string, unknown> | undefined)?.[ENVOY_CONFIG_KEY];
  const wantedText = (mutated?.data as Record<string, unknown> | undefined)?.[ENVOY_CONFIG_KEY];
  if (storedText === wantedText) return [];
  return ['apiserver-proxy: stored immutable config differs; it will be re-created, then restart the apiserver-proxy pods'];
}
