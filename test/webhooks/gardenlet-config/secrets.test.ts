// Gardenlet configuration carries kubeconfigs and tokens: none of it may reach a denial, a warning or
// a log line, whatever the outcome. Through the real server, with its logs captured.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/admission/types.js';
import { ShootIndex } from '../../../src/gardener/shoot-index.js';
import { gardenletConfigWebhook } from '../../../webhooks/gardenlet-config/registration.js';
import { postReview } from '../../support/client.js';
import { admissionReview } from '../../support/reviews.js';
import { startTestServer } from '../../support/server.js';
import { configMapEnabling, landscape, managedSeedWithGates, withConfigText } from './fixtures.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.planted-bootstrap-token-7f3a9c';
const kubeconfig = `apiVersion: v1\nkind: Config\nusers:\n- name: gardenlet\n  user:\n    token: ${TOKEN}\n`;

/** The gate-on ConfigMap with the token in gardenClientConnection.kubeconfig (as the chart renders it). */
const withToken = (edit: (text: string) => string = (t) => t): KubeObject =>
  withConfigText(configMapEnabling(), (text) =>
    edit(text.replace('gardenClientConnection:\n', `gardenClientConnection:\n  kubeconfig: ${JSON.stringify(kubeconfig)}\n`)),
  );

const managedSeedWithToken = (): KubeObject => {
  const object = managedSeedWithGates(undefined, true) as KubeObject & {
    spec: { gardenlet: { config: Record<string, Record<string, unknown>> } };
  };
  object.spec.gardenlet.config.gardenClientConnection!.kubeconfig = kubeconfig;
  return object;
};

const cases: [string, () => KubeObject, boolean, string][] = [
  ['a refusal', () => withToken(), false, 'feature gate can only be enabled'],
  [
    'an unparseable config whose error sits inside the token',
    () => withToken((t) => `${t}\nbootstrapToken: "${TOKEN}\n`),
    false,
    'is not valid YAML at line',
  ],
  [
    'a token given as a feature gate value',
    () => withToken((t) => t.replace('DefaultSeccompProfile: true', `DefaultSeccompProfile: ${TOKEN}`)),
    false,
    'must be true or false, not a string',
  ],
  ['an admission with warnings (ManagedSeed inheriting gates)', managedSeedWithToken, true, 'inherited via mergeWithParent'],
];

describe('no configuration content leaves the webhook', async () => {
  const { url, agent, logs } = await startTestServer({ webhooks: [gardenletConfigWebhook], services: { shoots: landscape() } });

  it.each(cases)('%s', async (_name, object, allowed, answered) => {
    const sent = object();
    expect(JSON.stringify(sent)).toContain(TOKEN);
    const answer = await postReview(`${url}${gardenletConfigWebhook.path}`, agent, admissionReview({ object: sent }));
    expect(answer.status).toBe(200);
    const response = JSON.parse(answer.body).response;
    expect(response.allowed).toBe(allowed);
    expect(response.status?.message ?? response.warnings?.join(' ')).toContain(answered);
    expect(answer.body).not.toContain(TOKEN);
    expect(answer.body).not.toContain('planted');
    expect(logs.text()).toContain(response.uid);
    expect(logs.text()).not.toContain('planted');
  });

  it('nor does it when the index is not synced', async () => {
    const server = await startTestServer({ webhooks: [gardenletConfigWebhook], services: { shoots: new ShootIndex() } });
    const answer = await postReview(`${server.url}${gardenletConfigWebhook.path}`, server.agent, admissionReview({ object: withToken() }));
    expect(JSON.parse(answer.body).response.status.code).toBe(503);
    expect(answer.body + server.logs.text()).not.toContain('planted');
  });
});
