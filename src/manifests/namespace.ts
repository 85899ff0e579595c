// The extension namespace, labelled as gardenlet labels the namespaces of the extensions it installs,
// so the seed's NetworkPolicy controllers treat it as one.
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { COMMON_LABELS } from './names.js';

export function namespace(name: string): INamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { ...COMMON_LABELS, 'gardener.cloud/role': 'extension' } },
  };
}
