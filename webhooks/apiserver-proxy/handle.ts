// The admission handler: the pure mutation, the seed readiness gate, and a word on stored configurations.
import { because, leftAsIs, patchResponseFromObjects, skipped, withQuotedStrings, type Verdict } from '../../src/admission/response.js';
import type { AdmissionRequest } from '../../src/admission/types.js';
import type { WebhookContext } from '../../src/admission/webhook.js';
import { ENVOY_CONFIG_KEY, mutateApiserverProxyConfigMap } from './mutate.js';

export function handleApiserverProxy(request: AdmissionRequest, context: WebhookContext): Verdict {
  const object = request.object;
  if (!object) return skipped('unrecognised', 'apiserver-proxy: the request carries no object; admitted unchanged');
  const mutation = mutateApiserverProxyConfigMap(object, context.settings, context.pathParameter);
  if (mutation.skipped) return skipped(mutation.skipped, mutation.warnings[0] ?? 'apiserver-proxy: admitted unchanged');
  // No diff, no readiness check, no stored-data comparison: on a migrated seed this is nearly every answer.
  if (mutation.reason !== 'moved') return leftAsIs(mutation.reason, mutation.warnings);

  // Only asked when the proxy would move: the seed must route the new port and header first.
  const ingress = context.services.ingress?.check();
  if (ingress && !ingress.ready) {
    const why = ingress.reason ? `: ${ingress.reason}` : '';
    return skipped('ingress-not-ready', `apiserver-proxy: seed ingress not ready for ${context.settings.phase}${why}; admitted unchanged`);
  }
  const warnings = [...mutation.warnings, ...storedConfigurationWarning(request, mutation.object)];
  return because('moved', withQuotedStrings(patchResponseFromObjects(object, mutation.object, ...warnings), mutation.quoted ?? []));
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
