// Gardenlet configuration and ManagedSeeds carry kubeconfigs and tokens. A planted token must reach no
// log line at any level (trace included), no answer (body, status message, warning), and no metric:
// for the fixtures, for random reshapings of them sent to every webhook, for bodies that are not even
// JSON, and through the real `serve` command.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionReview, KubeObject } from '../../src/admission/types.js';
import { DEFAULT_SETTINGS } from '../../src/gardener/settings.js';
import { ShootIndex } from '../../src/gardener/shoot-index.js';
import { webhooks } from '../../webhooks/index.js';
import { send, trustingAgent } from '../support/client.js';
import { sharedCertDir } from '../support/certs.js';
import { spawnServe, LOOPBACK_SERVE_ARGS } from '../support/cli.js';
import { editArb, perturb } from '../support/perturb.js';
import { closedWithin, openTcp } from '../support/raw.js';
import { admissionReview } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TECHNICAL_ID } from '../webhooks/apiserver-proxy/fixtures.js';
import {
  SHOOTS_FILE,
  configMapBaseline,
  configMapEnabling,
  gardenletEnabling,
  landscape,
  managedSeedEnabling,
  withConfigText,
} from '../webhooks/gardenlet-config/fixtures.js';

/** Distinctive enough that any fragment of it in the output is a leak, not a coincidence. */
const MARK = 'pl4nt3d';
const TOKEN = `${MARK}.eyJhbGciOiJSUzI1NiJ9.${MARK}-bootstrap-token`;
const KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '- name: garden',
  '  cluster: {server: "https://api.garden.example:443", certificate-authority-data: "LS0tLS1CRUdJTi' + MARK + '"}',
  'users:',
  '- name: gardenlet',
  `  user: {token: "${TOKEN}"}`,
  '',
].join('\n');

const withKubeconfigText = (object: KubeObject): KubeObject =>
  withConfigText(object, (text) =>
    text.replace('gardenClientConnection:\n', `gardenClientConnection:\n  kubeconfig: ${JSON.stringify(KUBECONFIG)}\n`),
  );

type WithGardenlet = KubeObject & {
  spec: { gardenlet: { config: { gardenClientConnection: Record<string, unknown> }; bootstrap?: string } };
};
function managedSeedWithKubeconfig(): KubeObject {
  const object = managedSeedEnabling() as WithGardenlet;
  object.spec.gardenlet.config.gardenClientConnection.kubeconfig = KUBECONFIG;
  return object;
}
function gardenletWithKubeconfig(): KubeObject {
  const object = gardenletEnabling() as KubeObject & { spec: { config: { gardenClientConnection: Record<string, unknown> } } };
  object.spec.config.gardenClientConnection.kubeconfig = KUBECONFIG;
  return object;
}

/** Every carrier of gardenlet configuration, token planted: refused, admitted, and unreadable. */
const CARRIERS: [string, () => KubeObject][] = [
  ['ConfigMap turning a gate on (refused)', () => withKubeconfigText(configMapEnabling())],
  ['ConfigMap without gates (admitted)', () => withKubeconfigText(configMapBaseline())],
  [
    'ConfigMap whose config.yaml breaks inside the token',
    () => withConfigText(withKubeconfigText(configMapEnabling()), (t) => `${t}\nbroken: "${TOKEN}\n  - [`),
  ],
  [
    'ConfigMap with the token as a gate value',
    () =>
      withConfigText(withKubeconfigText(configMapEnabling()), (t) =>
        t.replace('DefaultSeccompProfile: true', `DefaultSeccompProfile: ${TOKEN}`),
      ),
  ],
  ['ManagedSeed with a kubeconfig', managedSeedWithKubeconfig],
  ['Gardenlet with a kubeconfig', gardenletWithKubeconfig],
];

function expectNoLeak(text: string, where: string): void {
  expect(text.includes(MARK), `${where} contains the planted token: ${excerpt(text)}`).toBe(false);
}
const excerpt = (text: string): string => {
  const at = text.indexOf(MARK);
  return at === -1 ? '' : text.slice(Math.max(0, at - 80), at + 80);
};

const pathOf = (name: string): string => {
  const webhook = webhooks.find((w) => w.name === name)!;
  return webhook.path + (webhook.pathParameters?.length ? `/${TECHNICAL_ID}` : '');
};

describe('through the server, logging at trace level', () => {
  let synced: TestServer;
  let unsynced: TestServer;
  beforeAll(async () => {
    synced = await startTestServer({ webhooks, settings: DEFAULT_SETTINGS, services: { shoots: landscape() }, logLevel: 'trace' });
    unsynced = await startTestServer({ webhooks, settings: DEFAULT_SETTINGS, services: { shoots: new ShootIndex() }, logLevel: 'trace' });
  });

  const post = (t: TestServer, path: string, body: string) =>
    send(`${t.url}${path}`, { agent: t.agent, headers: { 'content-type': 'application/json' }, body });

  it.each(CARRIERS)('%s: not in the answer, its warnings or the logs, synced or not, CREATE or UPDATE', async (_name, carrier) => {
    for (const t of [synced, unsynced]) {
      for (const operation of ['CREATE', 'UPDATE'] as const) {
        const object = carrier();
        expect(JSON.stringify(object)).toContain(MARK);
        const review = admissionReview({ operation, object, oldObject: operation === 'UPDATE' ? carrier() : null });
        const answer = await post(t, pathOf('gardenlet-config'), JSON.stringify(review));
        expect(answer.status).toBe(200);
        expect((JSON.parse(answer.body) as AdmissionReview).response?.uid).toBe(review.request!.uid);
        expectNoLeak(answer.body, 'the answer');
      }
    }
    // The request was logged (so the check below looks at real lines), and not its content.
    expect(synced.logs.lines().some((l) => l.msg === 'admission' && l.webhook === 'gardenlet-config')).toBe(true);
    expectNoLeak(synced.logs.text(), 'the log');
    expectNoLeak(unsynced.logs.text(), 'the log');
  });

  it('a body that is not JSON, the token where the parser stops: the 400 reason and its log line hold none of it', async () => {
    const review = JSON.stringify(admissionReview({ object: withKubeconfigText(configMapEnabling()) }));
    const cut = review.indexOf(MARK) + 3;
    const bodies = [
      // An unquoted token: V8's message quotes the text around where it stops, right inside the token.
      `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"1","object":{"kubeconfig": ${TOKEN}}}}`,
      `${review.slice(0, cut)}\u0000${review.slice(cut)}`,
      `${review.slice(0, cut)}`,
      TOKEN,
    ];
    for (const body of bodies) {
      const answer = await post(synced, pathOf('gardenlet-config'), body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatch(/^body is not JSON/);
      expectNoLeak(answer.body, 'the 400 answer');
    }
    expectNoLeak(synced.logs.text(), 'the log');
  });

  it('random reshapings of the carriers, sent to every webhook: the token never comes back or reaches a log', async () => {
    const carrierArb = fc
      .tuple(fc.nat({ max: CARRIERS.length - 1 }), fc.array(editArb, { maxLength: 3 }))
      .map(([i, edits]) => perturb(CARRIERS[i]![1](), edits));
    await fc.assert(
      fc.asyncProperty(
        carrierArb,
        fc.constantFrom(...webhooks.map((w) => w.name)),
        fc.constantFrom('CREATE', 'UPDATE', 'DELETE'),
        async (object, name, operation) => {
          const review = admissionReview({ operation, object, oldObject: object });
          const answer = await post(synced, pathOf(name), JSON.stringify(review));
          expect([200, 400]).toContain(answer.status);
          expectNoLeak(answer.body, 'the answer');
        },
      ),
      { numRuns: 150 },
    );
    expectNoLeak(synced.logs.text(), 'the log');
  });

  it('nor in the metrics', async () => {
    for (const t of [synced, unsynced]) {
      const text = await (await fetch(`${t.metricsUrl}/metrics`)).text();
      expect(text).toContain('webhook');
      expectNoLeak(text, 'the metrics');
    }
  });
});

describe('through `serve --log-level trace`', () => {
  it('keeps the token out of stdout and stderr for every carrier and a broken body', async () => {
    const certs = await sharedCertDir();
    const serve = await spawnServe(['--cert-dir', certs.dir, ...LOOPBACK_SERVE_ARGS, '--shoots', SHOOTS_FILE, '--log-level', 'trace']);
    const url = serve.url.replace('localhost', '127.0.0.1');
    const agent = trustingAgent(certs.caCert);
    const bodies = [...CARRIERS.map(([, carrier]) => JSON.stringify(admissionReview({ object: carrier() }))), `{"kubeconfig": ${TOKEN}}`];
    for (const body of bodies) {
      const answer = await send(`${url}${pathOf('gardenlet-config')}`, { agent, headers: { 'content-type': 'application/json' }, body });
      expect([200, 400]).toContain(answer.status);
      expectNoLeak(answer.body, 'the answer');
    }
    // A failed handshake logs at debug: its line below shows the verbose levels were on.
    const garbage = await openTcp(Number(new URL(url).port));
    garbage.end('not TLS\r\n\r\n');
    await closedWithin(garbage, 5_000);
    const metrics = await (await fetch(`${serve.metricsUrl.replace('localhost', '127.0.0.1')}/metrics`)).text();
    expectNoLeak(metrics, 'the metrics');
    agent.destroy();
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toEqual({ code: 0, signal: null });
    // Verbose output is there (so it was looked at), and the token is not.
    expect(serve.stdout()).toContain('"level":20');
    expect(
      serve
        .stdout()
        .split('\n')
        .filter((l) => l.includes('"msg":"admission"')),
    ).toHaveLength(bodies.length);
    expectNoLeak(serve.stdout(), 'stdout');
    expectNoLeak(serve.stderr(), 'stderr');
  });
});
