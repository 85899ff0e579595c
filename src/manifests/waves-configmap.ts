// The rollout's waves file as a ConfigMap for the register container (`manifests --waves`), and the pod
// template annotation that rolls the pods when it changes: register reads the file once, at start.
import { createHash } from 'node:crypto';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { COMMON_LABELS, WAVES_CONFIGMAP_NAME, WAVES_KEY } from './names.js';

export function wavesConfigMap(namespace: string, wavesText: string): IConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: WAVES_CONFIGMAP_NAME, namespace, labels: COMMON_LABELS },
    // The operator's text as given, comments included: it is what they reviewed with `register --dry-run --plan`.
    data: { [WAVES_KEY]: wavesText },
  };
}

/** Gardener's `checksum/configmap-<name>` pod template annotation: SHA-256 of the waves text. */
export function wavesChecksumAnnotation(wavesText: string): Record<string, string> {
  return { [`checksum/configmap-${WAVES_CONFIGMAP_NAME}`]: createHash('sha256').update(wavesText).digest('hex') };
}
