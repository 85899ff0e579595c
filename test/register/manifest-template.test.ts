// The templated rendering of a shoot's webhook configuration is byte for byte what serializing the
// whole object gives (the Secret's name is a hash of those bytes), for any technical ID and settings;
// IDs that are not DNS labels are rendered in full.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { shootWebhookConfiguration } from '../../webhooks/webhook-configurations.js';
import { toYaml } from '../../src/register/manifest-data.js';
import { renderShootConfiguration } from '../../src/register/manifest-template.js';
import { webhooks } from '../../webhooks/index.js';
import { SERVICE_NAMESPACE, newCa } from './harness.js';

let ca: string;
let otherCa: string;
beforeAll(async () => {
  [ca, otherCa] = await Promise.all([newCa(), newCa()]);
});

const full = (options: Parameters<typeof renderShootConfiguration>[1]) => toYaml(shootWebhookConfiguration(webhooks, options));
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);

describe('templated shoot webhook configuration', () => {
  it('equals the full rendering for any technical ID, target, CA bundle and service', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          label,
          label.map((s) => `shoot--${s.slice(0, 20)}--${s.slice(0, 20)}`),
          fc.string({ maxLength: 30 }).filter((s) => s.length > 0),
        ),
        fc.constantFrom(ca, otherCa, `${ca}${otherCa}`),
        fc.constantFrom(SERVICE_NAMESPACE, 'extension-x-1a2b3'),
        fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
        fc.constantFrom(undefined, 'tls-tunnel', 'unified', 'hold'),
        (technicalId, caBundle, namespace, servicePort, target) => {
          const options = { namespace, caBundle, servicePort, technicalId, target };
          expect(renderShootConfiguration(webhooks, options).yaml).toBe(full(options));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('puts the technical ID into the shoot webhook URLs', () => {
    const { yaml, head } = renderShootConfiguration(webhooks, {
      namespace: SERVICE_NAMESPACE,
      caBundle: ca,
      technicalId: 'shoot--foo--bar',
    });
    expect(yaml).toContain('/shoot--foo--bar\n');
    expect(yaml).not.toContain('stand');
    expect(head.kind).toBe('MutatingWebhookConfiguration');
  });

  it('puts the target after the technical ID, whichever target the template was made for first', () => {
    for (const [technicalId, target] of [
      ['shoot--a--b', 'hold'],
      ['shoot--c--d', 'unified'],
      ['shoot--e--f', undefined],
      ['shoot--g--h', 'hold'],
    ] as const) {
      const { yaml } = renderShootConfiguration(webhooks, { namespace: SERVICE_NAMESPACE, caBundle: ca, technicalId, target });
      const suffix = target ? `/${technicalId}/${target}\n` : `/${technicalId}\n`;
      expect(yaml.split(suffix)).toHaveLength(3);
      expect(yaml).toBe(full({ namespace: SERVICE_NAMESPACE, caBundle: ca, technicalId, target }));
    }
  });

  it('renders IDs that could change YAML quoting in full', () => {
    for (const technicalId of ['a: b', "it's", 'x #y', 'true', '123', ' lead']) {
      const options = { namespace: SERVICE_NAMESPACE, caBundle: ca, technicalId };
      expect(renderShootConfiguration(webhooks, options).yaml).toBe(full(options));
    }
  });
});
