// config.yaml readings are kept by digest: the same text is read once, a different text is read anew.
import { describe, expect, it } from 'vitest';
import { readConfigText } from '../../../webhooks/gardenlet-config/config.js';

describe('readConfigText', () => {
  it('reads a text once and keeps the reading, never mixing up texts or places', () => {
    const on = 'featureGates:\n  RemoveHTTPProxyLegacyPort: true\nseedConfig:\n  metadata:\n    name: aws-eu1\n';
    const first = readConfigText(on, 'data["config.yaml"]');
    expect(first).toEqual({ ok: true, config: { featureGates: { RemoveHTTPProxyLegacyPort: true }, seedName: 'aws-eu1' } });
    expect(readConfigText(on, 'data["config.yaml"]')).toBe(first);
    expect(readConfigText(on.replace('true', 'false'), 'data["config.yaml"]')).toMatchObject({
      config: { featureGates: { RemoveHTTPProxyLegacyPort: false } },
    });
    const broken = 'featureGates: [\n';
    expect(readConfigText(broken, 'a')).toMatchObject({ ok: false, reason: expect.stringMatching(/^a is not valid YAML at line/) });
    expect(readConfigText(broken, 'b')).toMatchObject({ ok: false, reason: expect.stringMatching(/^b is not valid YAML at line/) });
  });

  it('forgets the oldest readings beyond its bound', () => {
    const text = (i: number) => `featureGates:\n  Gate${i}: true\n`;
    const first = readConfigText(text(0), 'x');
    for (let i = 1; i <= 64; i++) readConfigText(text(i), 'x');
    expect(readConfigText(text(0), 'x')).not.toBe(first);
    expect(readConfigText(text(0), 'x')).toEqual(first);
  });
});
