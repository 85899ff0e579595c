// The seed ingress check and a shoot's own target: the server judges its ingress for its own --phase only.
import { describe, expect, it } from 'vitest';
import { runWebhook } from '../../../src/admission/run.js';
import type { IngressReadiness } from '../../../src/gardener/services.js';
import { apiserverProxyWebhook } from '../../../webhooks/apiserver-proxy/registration.js';
import { LEGACY, TECHNICAL_ID, loadFixture, settings } from './fixtures.js';

const ready: IngressReadiness = { check: () => ({ ready: true }) };

async function verdictFor(target: string | undefined, phase: 'tls-tunnel' | 'unified') {
  const pathParameters: Record<string, string> = target === undefined ? { technicalId: TECHNICAL_ID } : { technicalId: TECHNICAL_ID, target };
  const request = { uid: 'u', operation: 'CREATE' as const, object: loadFixture(LEGACY) };
  const { verdict } = await runWebhook(apiserverProxyWebhook, request, { settings: settings({ phase }), services: { ingress: ready }, pathParameters });
  return verdict;
}

describe('apiserver-proxy ingress readiness with a target in the path', () => {
  it('moves to a target the ingress was judged for', async () => {
    expect((await verdictFor('tls-tunnel', 'tls-tunnel')).reason).toBe('moved');
    expect((await verdictFor(undefined, 'unified')).reason).toBe('moved');
  });

  it('does not move to a target the ingress was not judged for: the seed is not vouched for', async () => {
    const verdict = await verdictFor('unified', 'tls-tunnel');
    expect(verdict).toMatchObject({ outcome: 'allowed', reason: 'ingress-not-ready', skipped: 'ingress-not-ready' });
    expect(verdict.patch).toBeUndefined();
    expect(verdict.warnings).toEqual(['apiserver-proxy: seed ingress not ready for unified: checked only for --phase tls-tunnel; admitted unchanged']);
  });

  it('a hold never asks the ingress', async () => {
    let asked = 0;
    const counting: IngressReadiness = { check: () => (asked++, { ready: true }) };
    const request = { uid: 'u', operation: 'CREATE' as const, object: loadFixture(LEGACY) };
    const { verdict } = await runWebhook(apiserverProxyWebhook, request, {
      settings: settings(),
      services: { ingress: counting },
      pathParameters: { technicalId: TECHNICAL_ID, target: 'hold' },
    });
    expect(verdict.reason).toBe('held');
    expect(asked).toBe(0);
  });
});
