// Small webhooks with known behaviour, so server tests never depend on the registry's real handlers.
import { allowed, denied, patchResponseFromObjects, type Verdict } from '../../src/admission/response.js';
import type { AdmissionRequest } from '../../src/admission/types.js';
import type { Handler, Webhook } from '../../src/admission/webhook.js';

/** A webhook at `/test/<name>` with the given type and handler; everything else is plain. */
export function testWebhook(name: string, type: Webhook['type'], handle: Handler, overrides: Partial<Webhook> = {}): Webhook {
  return {
    name,
    path: `/test/${name}`,
    type,
    failurePolicy: type === 'mutating' ? 'Ignore' : 'Fail',
    timeoutSeconds: 10,
    placements: [],
    handle,
    ...overrides,
  };
}

/** Mutating: adds the annotation `test/patched: "true"` (via a diff, so it applies without annotations). */
export function patchingWebhook(name = 'patching'): Webhook {
  return testWebhook(name, 'mutating', (request) => {
    const original = request.object ?? {};
    const mutated = structuredClone(original);
    mutated.metadata = { ...mutated.metadata, annotations: { ...mutated.metadata?.annotations, 'test/patched': 'true' } };
    return patchResponseFromObjects(original, mutated);
  });
}

/** Throws on every call, as a buggy handler would. */
export function throwingWebhook(name: string, type: Webhook['type']): Webhook {
  return testWebhook(name, type, () => {
    throw new Error('handler exploded');
  });
}

/** Answers `allowed` only after `ms`: for deadlines and draining. */
export function sleepingWebhook(name: string, type: Webhook['type'], ms: number, overrides: Partial<Webhook> = {}): Webhook {
  return testWebhook(
    name,
    type,
    () =>
      new Promise<Verdict>((resolve) => {
        setTimeout(() => resolve(allowed()), ms).unref();
      }),
    overrides,
  );
}

/** Validating: denies objects labelled `deny: "true"`, allows everything else. */
export function validatingWebhook(name = 'validating'): Webhook {
  return testWebhook(name, 'validating', (request: AdmissionRequest) => {
    const object = request.object ?? request.oldObject;
    return object?.metadata?.labels?.deny === 'true' ? denied('labelled deny') : allowed();
  });
}
