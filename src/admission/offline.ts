// Admission without a server: runs the mutating webhooks the apiserver would call for an object, in
// order, through the same handler path as the server, and applies their patches.
import fastJsonPatch, { type Operation as PatchOperation } from 'fast-json-patch';
import { resourceOf, webhooksFor } from './match.js';
import { runWebhook } from './run.js';
import type { AdmissionRequest, KubeObject } from './types.js';
import type { Webhook, WebhookContext } from './webhook.js';

export interface OfflineMutation {
  object: KubeObject;
  /** The patch from the input to the result (all webhooks together). */
  patch: PatchOperation[];
  warnings: string[];
  /** Names of the webhooks that were called. */
  webhooks: string[];
}

let counter = 0;

export async function mutateOffline<C>(
  webhooks: readonly Webhook<C>[],
  input: KubeObject,
  context: WebhookContext<C>,
): Promise<OfflineMutation> {
  const called = webhooksFor(webhooks, input, 'mutating');
  const resource = resourceOf(input);
  let current = input;
  const warnings: string[] = [];
  for (const webhook of called) {
    const request: AdmissionRequest = {
      uid: `offline-${++counter}`,
      kind: resource && { group: resource.group, version: resource.version, kind: resource.kind },
      resource: resource && { group: resource.group, version: resource.version, resource: resource.resource },
      name: current.metadata?.name,
      namespace: current.metadata?.namespace,
      operation: 'CREATE',
      userInfo: { username: 'offline' },
      object: current,
      dryRun: true,
    };
    const { verdict, failure } = await runWebhook(webhook, request, context);
    if (failure) warnings.push(`${webhook.name}: ${failure.message}`);
    warnings.push(...verdict.warnings);
    if (verdict.patch) {
      current = fastJsonPatch.applyPatch(structuredClone(current), verdict.patch, true, false).newDocument;
    }
  }
  return { object: current, patch: fastJsonPatch.compare(input, current), warnings, webhooks: called.map((w) => w.name) };
}
