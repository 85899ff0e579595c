// Gardener's apiserver-proxy ConfigMap: its labels (the webhook's object selector) and its envoy.yaml.
import type { KubeObject } from '../../src/admission/types.js';

export const ENVOY_CONFIG_KEY = 'envoy.yaml';
/** The labels Gardener puts on the ConfigMap, and the webhook's object selector. */
export const APISERVER_PROXY_LABELS: Readonly<Record<string, string>> = { app: 'kubernetes', role: 'apiserver-proxy' };

export function isApiserverProxyConfigMap(object: KubeObject): boolean {
  return object.kind === 'ConfigMap' && Object.entries(APISERVER_PROXY_LABELS).every(([k, v]) => object.metadata?.labels?.[k] === v);
}

export function envoyText(object: KubeObject | null | undefined): string | undefined {
  const text = (object?.data as Record<string, unknown> | undefined)?.[ENVOY_CONFIG_KEY];
  return typeof text === 'string' ? text : undefined;
}
