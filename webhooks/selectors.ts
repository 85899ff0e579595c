// Gardener's shoot webhooks select the shoot's kube-system by its purpose label (extensions/pkg/webhook/shoot).
import type { LabelSelector } from '../src/admission/webhook.js';

export const KUBE_SYSTEM_SELECTOR: LabelSelector = {
  matchExpressions: [{ key: 'gardener.cloud/purpose', operator: 'In', values: ['kube-system'] }],
};
