// What an UPDATE's stored ConfigMap (oldObject) means for the answer: forward only holds for what the shoot
// runs, and an immutable ConfigMap whose data would change is re-created by the resource manager.
import type { AdmissionRequest, KubeObject } from '../../src/admission/types.js';
import { apiserverProxyOrder, type ApiserverProxyRendering } from '../../src/gardener/renderings.js';
import { ENVOY_CONFIG_KEY, envoyText, isApiserverProxyConfigMap } from './config-map.js';
import { gardenerLayoutState, readGardenerLayout } from './envoy-fast-path.js';
import type { EnvoyState } from './envoy-state.js';
import { parseEnvoy, parsedEnvoyState } from './envoy-structural.js';

/**
 * The stored envoy.yaml of an UPDATE when the answer would leave the shoot on an earlier rendering than
 * it: forward only holds for what the shoot runs, not just for what the update carries.
 */
export function storedAhead(request: AdmissionRequest, object: KubeObject, result: KubeObject): string | undefined {
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

/**
 * The ConfigMap is immutable: an UPDATE whose data differs from the stored data is refused by the
 * apiserver, and the resource manager then deletes and re-creates it (a CREATE, mutated into the
 * configured phase). Envoy reads its configuration only at start, so the operator must restart the pods.
 */
export function storedConfigurationWarning(request: AdmissionRequest, mutated: KubeObject): string[] {
  const stored = request.oldObject;
  if (request.operation !== 'UPDATE' || !stored || stored.immutable !== true) return [];
  const storedText = (stored.data as Record<string, unknown> | undefined)?.[ENVOY_CONFIG_KEY];
  const wantedText = (mutated.data as Record<string, unknown> | undefined)?.[ENVOY_CONFIG_KEY];
  if (storedText === wantedText) return [];
  return ['apiserver-proxy: stored immutable config differs; it will be re-created, then restart the apiserver-proxy pods'];
}

/** The rendering an envoy.yaml is, or undefined when it is none of Gardener's. */
export function renderingOfEnvoy(text: string): ApiserverProxyRendering | undefined {
  const layout = readGardenerLayout(text);
  let state: EnvoyState;
  if (layout) state = gardenerLayoutState(layout);
  else {
    const parsed = parseEnvoy(text);
    if ('unrecognised' in parsed) return undefined;
    state = parsedEnvoyState(parsed);
  }
  return 'rendering' in state ? state.rendering : undefined;
}
