// The seed ingress check and a shoot's own target: the ingress is asked about the phase the shoot moves to.
import { describe, expect, it } from 'vitest';
import { runWebhook } from '../../../src/admission/run.js';
import type { IngressReadiness } from '../../../src/gardener/services.js';
import type { Phase } from '../../../src/gardener/settings.js';
import { apiserverProxyWebhook } from '../../../webhooks/apiserver-proxy/registration.js';
import { LEGACY, TECHNICAL_ID, loadFixture, settings } from './fixtures.js';

/** A seed that routes the tls-tunnel port but not yet the unified one; records what it was asked. */
function tlsTunnelOnlySeed(): IngressReadiness & { asked: (Phase | undefined)[] } {
  const asked: (Phase | undefined)[] = [];
  return {
    asked,
    check: (phase) => {
      asked.push(phase);
      return phase === 'unified' ? { ready: false, reason: 'no Gateway opens port 8443' } : { ready: true };
    },
  };
}

async function verdictFor(ingress: IngressReadiness, target: string | undefined, phase: Phase = 'tls-tunnel') {
  const pathParameters: Record<string, string> =
    target === undefined ? { technicalId: TECHNICAL_ID } : { technicalId: TECHNICAL_ID, target };
  const request = { uid: 'u', operation: 'CREATE' as const, object: loadFixture(LEGACY) };
  const { verdict } = await runWebhook(apiserverProxyWebhook, request, {
    settings: settings({ phase }),
    services: { ingress },
    pathParameters,
  });
  return verdict;
}

describe('apiserver-proxy ingress readiness with a target in the path', () => {
  it('asks the ingress about the target of the path, not the server phase', async () => {
    const seed = tlsTunnelOnlySeed();
    expect((await verdictFor(seed, 'tls-tunnel', 'unified')).reason).toBe('moved');
    const verdict = await verdictFor(seed, 'unified');
    expect(verdict).toMatchObject({ outcome: 'allowed', reason: 'ingress-not-ready', skipped: 'ingress-not-ready' });
    expect(verdict.patch).toBeUndefined();
    expect(verdict.warnings).toEqual([
      'apiserver-proxy: seed ingress not ready for unified: no Gateway opens port 8443; admitted unchanged',
    ]);
    expect(seed.asked).toEqual(['tls-tunnel', 'unified']);
  });

  it('without a target, asks about the server phase', async () => {
    const seed = tlsTunnelOnlySeed();
    expect((await verdictFor(seed, undefined)).reason).toBe('moved');
    expect((await verdictFor(seed, undefined, 'unified')).reason).toBe('ingress-not-ready');
    expect(seed.asked).toEqual(['tls-tunnel', 'unified']);
  });

  it('a hold never asks the ingress', async () => {
    const seed = tlsTunnelOnlySeed();
    expect((await verdictFor(seed, 'hold')).reason).toBe('held');
    expect(seed.asked).toEqual([]);
  });
});
