// One technical-ID check for every surface that takes one: an ID the CLI accepts for a shoot's webhook
// configuration, dry run or preflight is one the webhook path accepts, and the other way round.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/admission/types.js';
import { DEFAULT_SETTINGS } from '../../src/gardener/settings.js';
import { mutateApiserverProxyConfigMap } from '../../webhooks/apiserver-proxy/mutate.js';
import { loadFixture } from '../webhooks/apiserver-proxy/fixtures.js';
import { runCli } from '../support/cli.js';
import { sharedCertDir } from '../support/certs.js';

const scratch = mkdtempSync(join(tmpdir(), 'hpm-technical-id-'));
const legacy = loadFixture('apiserver-proxy/configmap.legacy-v1.112.yaml');
const PREFLIGHT_ISTIO = join(import.meta.dirname, '..', 'fixtures', 'istio', 'envoyfilter.reversed-vpn.phase1-v1.113.yaml');

/** The legacy ConfigMap as rendered for the shoot `id` names (or for foo/bar when it names none). */
function legacyFor(id: string): KubeObject {
  const parts = /^shoot--([a-z0-9-]+)--([a-z0-9-]+)$/.exec(id) ?? /^shoot-([a-z0-9]+)-([a-z0-9-]+)$/.exec(id);
  if (!parts) return legacy;
  const envoy = (legacy.data as Record<string, string>)['envoy.yaml']!.replace('api.bar.foo.', `api.${parts[2]}.${parts[1]}.`);
  return { ...legacy, data: { 'envoy.yaml': envoy } };
}

/** Whether the webhook path `/webhooks/apiserver-proxy/<id>` would move the shoot. */
function webhookAccepts(id: string): boolean {
  const result = mutateApiserverProxyConfigMap(legacyFor(id), { ...DEFAULT_SETTINGS, phase: 'unified' }, id);
  return result.reason === 'moved';
}

const VALID = ['shoot--foo--bar', 'shoot-foo-bar', 'shoot--my-project--my-shoot-1'];
// `shoot-x` was accepted by `manifests --shoot` and `preflight` and refused by the webhook path.
const INVALID = ['shoot-x', 'shoot--foo', 'garden-foo', 'shoot--foo--bar--baz', 'Shoot--foo--bar'];

describe('the technical-ID check', () => {
  it.each([...VALID, ...INVALID])(
    '%s: manifests --shoot, register --dry-run --namespace, preflight --technical-id and the webhook path agree',
    async (id) => {
      const accepted = webhookAccepts(id);
      expect(accepted).toBe(VALID.includes(id));
      const certs = await sharedCertDir();
      const [manifests, register, preflight] = await Promise.all([
        runCli(['manifests', '--out', join(scratch, id), '--shoot', id]),
        runCli(['register', '--dry-run', '--namespace', id, '--ca-file', join(certs.dir, 'ca.crt')]),
        runCli(['preflight', '--phase', 'tls-tunnel', '--technical-id', id, '-f', PREFLIGHT_ISTIO]),
      ]);
      expect(manifests.code === 0).toBe(accepted);
      expect(register.code === 0).toBe(accepted);
      // preflight exits 1 when the ingress is not ready; 2 is only for bad input such as an ID it refuses.
      expect(preflight.code !== 2).toBe(accepted);
      if (!accepted) {
        for (const result of [manifests, register, preflight])
          expect(result.stderr).toMatch(/the shoot technical ID is not shoot--<project>--<name>/);
      }
    },
  );
});
