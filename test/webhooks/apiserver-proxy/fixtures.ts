// The real Gardener renderings of the apiserver-proxy ConfigMap, loaded from test/fixtures.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../src/admission/types.js';
import type { MigrationSettings } from '../../../src/gardener/settings.js';
import type { ApiserverProxyRendering } from '../../../src/gardener/renderings.js';
import {
  computedDestinationValue,
  destinationFor,
  targetHeaderKeys,
  type Destination,
} from '../../../webhooks/apiserver-proxy/destination.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export const TECHNICAL_ID = 'shoot--foo--bar';

export function loadFixture(path: string): KubeObject {
  return yaml.load(readFileSync(FIXTURES + path, 'utf8')) as KubeObject;
}

export function envoyYaml(object: KubeObject): string {
  return (object.data as Record<string, string>)['envoy.yaml']!;
}

/** Every phase Gardener has rendered, oldest first: each is a possible starting point. */
export const GARDENER_RENDERINGS = {
  'legacy v1.112': 'apiserver-proxy/configmap.legacy-v1.112.yaml',
  'GEP proposal (X-Gardener-Destination, 8132)': 'apiserver-proxy/configmap.gep30-proposal-x-gardener-destination-8132.yaml',
  'phase 1 v1.113 (Reversed-VPN, 8132)': 'apiserver-proxy/configmap.phase1-reversed-vpn-8132-v1.113.yaml',
  'Istio TLS termination v1.114 (Reversed-VPN, 8132, socket value)':
    'apiserver-proxy/configmap.tls-termination-reversed-vpn-8132-v1.114.yaml',
  'transition v1.130 (both headers, 8132)': 'apiserver-proxy/configmap.transition-both-headers-8132-v1.130-fg-disabled.yaml',
  'unified gate on v1.140 (both headers, 8443)': 'apiserver-proxy/configmap.unified-both-headers-8443-v1.140.yaml',
  'unified v1.144 (X-Gardener-Destination, 8443)': 'apiserver-proxy/configmap.unified-x-gardener-destination-8443-v1.144.yaml',
} as const;
export type RenderingName = keyof typeof GARDENER_RENDERINGS;

export const KUBE_APISERVER_VALUE = 'outbound|443||kube-apiserver.shoot--foo--bar.svc.cluster.local';
export const SOCKET_VALUE = 'shoot--foo--bar--kube-apiserver-socket';

/** What each rendering is, and the destination value it carries (none for legacy). */
export const RENDERING_FACTS: Readonly<Record<RenderingName, { rendering: ApiserverProxyRendering; value?: string }>> = {
  'legacy v1.112': { rendering: 'legacy' },
  'GEP proposal (X-Gardener-Destination, 8132)': { rendering: 'tls-tunnel', value: KUBE_APISERVER_VALUE },
  'phase 1 v1.113 (Reversed-VPN, 8132)': { rendering: 'tls-tunnel', value: KUBE_APISERVER_VALUE },
  'Istio TLS termination v1.114 (Reversed-VPN, 8132, socket value)': { rendering: 'tls-tunnel', value: SOCKET_VALUE },
  'transition v1.130 (both headers, 8132)': { rendering: 'tls-tunnel', value: KUBE_APISERVER_VALUE },
  'unified gate on v1.140 (both headers, 8443)': { rendering: 'unified', value: KUBE_APISERVER_VALUE },
  'unified v1.144 (X-Gardener-Destination, 8443)': { rendering: 'unified', value: KUBE_APISERVER_VALUE },
};

export const LEGACY = GARDENER_RENDERINGS['legacy v1.112'];
export const UNIFIED_V1_144 = GARDENER_RENDERINGS['unified v1.144 (X-Gardener-Destination, 8443)'];

/** Where the settings send a legacy rendering, which has no destination value of its own. */
export function legacyDestination(s: MigrationSettings): Destination {
  return destinationFor(s.phase, targetHeaderKeys(s), computedDestinationValue(s, TECHNICAL_ID));
}

export function settings(overrides: Partial<MigrationSettings> = {}): MigrationSettings {
  return { phase: 'tls-tunnel', istioTlsTermination: false, assumeVpnClientCompatible: false, ...overrides };
}

/** Each target the settings can name, with Gardener's rendering of it (the expected-after-mutation fixtures and the release renderings). */
export const TARGETS: { name: string; settings: MigrationSettings; expected: string }[] = [
  {
    name: 'tls-tunnel (default: Reversed-VPN, as v1.113 shipped)',
    settings: settings(),
    expected: 'apiserver-proxy/configmap.expected-after-mutation.phase1-reversed-vpn-8132.yaml',
  },
  {
    name: 'tls-tunnel with X-Gardener-Destination (the GEP text)',
    settings: settings({ destinationHeaders: ['X-Gardener-Destination'] }),
    expected: 'apiserver-proxy/configmap.expected-after-mutation.phase1-x-gardener-destination-8132.yaml',
  },
  {
    name: 'unified (X-Gardener-Destination, 8443)',
    settings: settings({ phase: 'unified' }),
    expected: 'apiserver-proxy/configmap.expected-after-mutation.unified-x-gardener-destination-8443.yaml',
  },
  {
    name: 'tls-tunnel with both headers (v1.130, gate off)',
    settings: settings({ destinationHeaders: ['Reversed-VPN', 'X-Gardener-Destination'] }),
    expected: GARDENER_RENDERINGS['transition v1.130 (both headers, 8132)'],
  },
];
