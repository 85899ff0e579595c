// The AdmissionReview bodies the load generator sends, built from the fixtures as kube-apiserver
// would send them (JSON, one line). Distinct bodies get a fresh uid stamped into a prebuilt buffer,
// so making them costs the load generator a copy, not a JSON.stringify.
import { createHash, randomUUID } from 'node:crypto';
import type { AdmissionRequest, AdmissionReview, KubeObject } from '../src/admission/types.js';
import { fixture } from './paths.js';
import { DISTINCT_SHOOTS, type Scenario } from './scenarios.js';
import { ENVOY_CONFIG_KEY } from '../webhooks/apiserver-proxy/mutate.js';

export interface ReviewRequest {
  path: string;
  body: Buffer;
}

/** A review body and where in it each request's uid goes (none when every request is the very same bytes). */
export interface ReviewTemplate {
  path: string;
  body: Buffer;
  uidOffset?: number;
}

/** Where the next request comes from; `fixed` is set when every request is the very same bytes. */
export interface RequestSource {
  fixed?: ReviewRequest;
  next(): ReviewRequest;
  /** The same requests as templates, for a load generator that stamps uids itself, in rotation order. */
  templates: ReviewTemplate[];
}

/** The gardenlet fixture's seed; the synthetic snapshot puts shoots on it. */
export const GATED_SEED = 'aws-eu1';

const REVIEW_FIXTURE = 'webhook/admissionreview.configmap-create.legacy.yaml';
/** Gardener v1.144's rendering for the same shoot, seed and addresses as the legacy review's. */
const UNIFIED_FIXTURE = 'apiserver-proxy/configmap.unified-x-gardener-destination-8443-v1.144.yaml';
const UID_PLACEHOLDER = '00000000-0000-4000-8000-000000000000';
/** Every uid is a UUID in its canonical text form. */
// The values the legacy fixture was rendered for (see the fixture's header).
const FIXTURE_SHOOT = 'shoot--foo--bar';
const FIXTURE_FQDN = 'api.bar.foo.internal.local.gardener.cloud.';
const FIXTURE_ADVERTISE = 'address: 10.2.170.21\n';

export function requestsFor(scenario: Scenario): RequestSource {
  switch (scenario.name) {
    case 'apiserver-proxy-distinct':
      return rotate(apiserverProxyRequests(DISTINCT_SHOOTS));
    case 'apiserver-proxy-unified-unchanged':
      return rotate(apiserverProxyRequests(DISTINCT_SHOOTS, UNIFIED_FIXTURE));
    case 'apiserver-proxy-repeated': {
      const [first] = apiserverProxyRequests(1);
      const fixed = { path: first!.path, body: first!.stamp() };
      return { fixed, next: () => fixed, templates: [fixed] };
    }
    case 'vpn-shoot':
      return rotate([vpnShootRequest()]);
    case 'gardenlet-config':
      return rotate([gardenletConfigRequest()]);
    default:
      throw new Error(`no review bodies for scenario ${scenario.name}`);
  }
}

/** A review body with a placeholder uid, and where to write the real one. */
class UidTemplate {
  readonly offset: number;

  constructor(
    readonly path: string,
    readonly template: Buffer,
  ) {
    this.offset = template.indexOf(`"uid":"${UID_PLACEHOLDER}"`) + '"uid":"'.length;
    if (this.offset < '"uid":"'.length) throw new Error('review template has no uid placeholder');
  }

  stamp(): Buffer {
    const body = Buffer.allocUnsafe(this.template.length);
    this.template.copy(body);
    body.write(randomUUID(), this.offset, 'latin1');
    return body;
  }
}

function rotate(templates: UidTemplate[]): RequestSource {
  let i = 0;
  return {
    next: () => {
      const template = templates[i++ % templates.length]!;
      return { path: template.path, body: template.stamp() };
    },
    templates: templates.map(({ path, template, offset }) => ({ path, body: template, uidOffset: offset })),
  };
}

function envelope(request: Partial<AdmissionRequest> & Record<string, unknown>): Buffer {
  const base = fixture<AdmissionReview>(REVIEW_FIXTURE);
  const review: AdmissionReview = { ...base, request: { ...base.request!, ...request, uid: UID_PLACEHOLDER } };
  return Buffer.from(JSON.stringify(review));
}

/**
 * The ConfigMap (the review's legacy one, or Gardener's rendering in `renderingFixture`) as rendered for
 * `count` different shoots: each has its own technical ID (in the webhook path and the destination value),
 * API server FQDN, advertise address, and hence content-derived name.
 */
function apiserverProxyRequests(count: number, renderingFixture?: string): UidTemplate[] {
  const legacy = (
    renderingFixture ? fixture<KubeObject>(renderingFixture) : fixture<AdmissionReview>(REVIEW_FIXTURE).request!.object
  ) as KubeObject;
  const text = (legacy.data as Record<string, string>)[ENVOY_CONFIG_KEY]!;
  if (text.split(FIXTURE_ADVERTISE).length !== 2)
    throw new Error(`the envoy.yaml no longer holds ${JSON.stringify(FIXTURE_ADVERTISE)} exactly once`);
  if (!text.includes(FIXTURE_FQDN)) throw new Error(`the envoy.yaml no longer names ${FIXTURE_FQDN}`);
  const templates: UidTemplate[] = [];
  for (let i = 0; i < count; i++) {
    const project = `team${String(i % 40).padStart(2, '0')}`;
    const name = `cluster-${String(i).padStart(4, '0')}`;
    const technicalId = `shoot--${project}--${name}`;
    const envoy = text
      .replaceAll(FIXTURE_FQDN, `api.${name}.${project}.internal.local.gardener.cloud.`)
      .replaceAll(`.${FIXTURE_SHOOT}.`, `.${technicalId}.`)
      .replace(FIXTURE_ADVERTISE, `address: 10.2.${Math.floor(i / 250)}.${(i % 250) + 1}\n`);
    const configMapName = `apiserver-proxy-config-${uniqueSuffix(envoy)}`;
    const annotations = { ...legacy.metadata!.annotations } as Record<string, string>;
    for (const [key, value] of Object.entries(annotations)) annotations[key] = value.replace(FIXTURE_SHOOT, technicalId);
    const object: KubeObject = {
      ...legacy,
      metadata: { ...legacy.metadata, name: configMapName, annotations },
      data: { [ENVOY_CONFIG_KEY]: envoy },
    };
    templates.push(new UidTemplate(`/webhooks/apiserver-proxy/${technicalId}`, envelope({ name: configMapName, object })));
  }
  return templates;
}

/** Gardener's content-derived name suffix (first 8 hex of a hash over the data's hashes); illustrative. */
function uniqueSuffix(value: string): string {
  const inner = createHash('sha256').update(value).digest('hex');
  return createHash('sha256').update(inner).digest('hex').slice(0, 8);
}

function vpnShootRequest(): UidTemplate {
  const deployment = fixture<KubeObject>('vpn-shoot/deployment.legacy-v1.129.yaml');
  const body = envelope({
    kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    resource: { group: 'apps', version: 'v1', resource: 'deployments' },
    requestKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    requestResource: { group: 'apps', version: 'v1', resource: 'deployments' },
    name: deployment.metadata?.name,
    namespace: deployment.metadata?.namespace,
    object: deployment,
  });
  return new UidTemplate('/webhooks/vpn-shoot', body);
}

/** The chart's gardenlet ConfigMap with RemoveHTTPProxyLegacyPort on, for the seed GATED_SEED. */
function gardenletConfigRequest(): UidTemplate {
  const configMap = fixture<KubeObject>('gardenlet/configmap.gardenlet-config.remove-http-proxy-legacy-port.yaml');
  const config = (configMap.data as Record<string, string>)['config.yaml'] ?? '';
  if (!config.includes(`name: ${GATED_SEED}`)) throw new Error(`the gardenlet fixture is no longer for seed ${GATED_SEED}`);
  const body = envelope({
    name: configMap.metadata?.name,
    namespace: configMap.metadata?.namespace,
    userInfo: { username: 'system:serviceaccount:garden:gardenlet', groups: ['system:serviceaccounts', 'system:authenticated'] },
    object: configMap,
  });
  return new UidTemplate('/webhooks/gardenlet-config', body);
}
