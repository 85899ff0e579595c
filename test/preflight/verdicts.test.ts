// The preflight's verdicts on Gardener's own ingress renderings, per phase and destination shape.
// Expected verdicts follow from the files and GEP-30's history of the seed ingress:
//   v1.112 routes any CONNECT on 8132 but its ext_authz server refuses kube-apiserver destinations;
//   v1.113 routes Reversed-VPN to vpn-seed-server or kube-apiserver on 8132, but not the TLS-termination socket;
//   the GEP document's filter routes kube-apiserver only by X-Gardener-Destination (Reversed-VPN is VPN-only);
//   HEAD's http-proxy objects route X-Gardener-Destination on 8443 for every shape, its legacy objects Reversed-VPN on 8132.
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { Phase } from '../../src/gardener/settings.js';
import { checkIngress } from '../../src/preflight/check.js';
import { collectIstioObjects } from '../../src/preflight/istio-objects.js';
import { phaseTraffic } from '../../src/preflight/phase-traffic.js';
import { FIXTURE, PHASE1_REGEX, fixtureText, loadIstio } from './fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, edited in place by the tests below
type Yaml = any;

interface Row {
  name: string;
  files: string[];
  phase: Phase;
  headers?: string[];
  tls?: boolean;
  technicalIds?: string[];
  ready: boolean;
  /** A fragment of the reason. */
  because: string;
}

const rows: Row[] = [
  {
    name: 'legacy v1.112, tls-tunnel: ext_authz still guards 8132',
    files: [FIXTURE.legacy],
    phase: 'tls-tunnel',
    ready: false,
    because: 'ext_authz filter from EnvoyFilter reversed-vpn',
  },
  {
    name: 'legacy v1.112, unified: nothing on 8443',
    files: [FIXTURE.legacy],
    phase: 'unified',
    ready: false,
    because: 'no EnvoyFilter route configuration on port 8443',
  },
  {
    name: 'phase 1 v1.113, tls-tunnel with Reversed-VPN',
    files: [FIXTURE.phase1],
    phase: 'tls-tunnel',
    ready: true,
    because: 'istio-ingress routes phase tls-tunnel (port 8132, Reversed-VPN)',
  },
  {
    name: 'phase 1 v1.113, Reversed-VPN and X-Gardener-Destination sent together',
    files: [FIXTURE.phase1],
    phase: 'tls-tunnel',
    headers: ['Reversed-VPN', 'X-Gardener-Destination'],
    ready: true,
    because: 'routes phase tls-tunnel',
  },
  {
    name: 'phase 1 v1.113, X-Gardener-Destination alone falls to the catch-all redirect',
    files: [FIXTURE.phase1],
    phase: 'tls-tunnel',
    headers: ['X-Gardener-Destination'],
    ready: false,
    because: 'first matches route 2 of virtual host reversed-vpn (EnvoyFilter reversed-vpn), which redirects it',
  },
  {
    name: 'phase 1 v1.113, Istio TLS termination: the regex predates the socket destination',
    files: [FIXTURE.phase1],
    phase: 'tls-tunnel',
    tls: true,
    ready: false,
    because: 'shoot--foo--bar--kube-apiserver-socket first matches route 2',
  },
  { name: 'phase 1 v1.113, unified: nothing on 8443', files: [FIXTURE.phase1], phase: 'unified', ready: false, because: 'port 8443' },
  {
    name: 'GEP document, Reversed-VPN: its Reversed-VPN route is VPN-only, no catch-all',
    files: [FIXTURE.gepDocument],
    phase: 'tls-tunnel',
    ready: false,
    because: 'matches no route of virtual host reversed-vpn (EnvoyFilter reversed-vpn): Envoy answers 404',
  },
  {
    name: 'GEP document, X-Gardener-Destination on 8132',
    files: [FIXTURE.gepDocument],
    phase: 'tls-tunnel',
    headers: ['X-Gardener-Destination'],
    ready: true,
    because: 'routes phase tls-tunnel (port 8132, X-Gardener-Destination)',
  },
  {
    name: 'GEP document, both headers: the second route takes it',
    files: [FIXTURE.gepDocument],
    phase: 'tls-tunnel',
    headers: ['Reversed-VPN', 'X-Gardener-Destination'],
    ready: true,
    because: 'routes phase tls-tunnel',
  },
  {
    name: 'HEAD http-proxy, unified',
    files: [FIXTURE.unifiedHttpProxy],
    phase: 'unified',
    ready: true,
    because: 'routes phase unified (port 8443, X-Gardener-Destination) for 16 sample destination(s)',
  },
  {
    name: 'HEAD http-proxy, unified with Istio TLS termination, both technical-ID shapes',
    files: [FIXTURE.unifiedHttpProxy],
    phase: 'unified',
    tls: true,
    ready: true,
    because: 'routes phase unified',
  },
  {
    name: 'HEAD http-proxy, tls-tunnel: its Gateway opens only 8443',
    files: [FIXTURE.unifiedHttpProxy],
    phase: 'tls-tunnel',
    ready: false,
    because: 'no Gateway opens port 8132 for HTTP',
  },
  {
    name: 'HEAD legacy objects, tls-tunnel',
    files: [FIXTURE.unifiedLegacyTlsTunnel],
    phase: 'tls-tunnel',
    tls: true,
    ready: true,
    because: 'routes phase tls-tunnel (port 8132, Reversed-VPN)',
  },
  {
    name: 'HEAD legacy objects, unified: no Gateway on 8443',
    files: [FIXTURE.unifiedLegacyTlsTunnel],
    phase: 'unified',
    ready: false,
    because: 'no Gateway opens port 8443 for HTTP',
  },
  {
    name: 'HEAD seed with both, unified',
    files: [FIXTURE.unifiedHttpProxy, FIXTURE.unifiedLegacyTlsTunnel],
    phase: 'unified',
    ready: true,
    because: 'routes phase unified',
  },
  {
    name: 'HEAD seed with both, tls-tunnel',
    files: [FIXTURE.unifiedHttpProxy, FIXTURE.unifiedLegacyTlsTunnel],
    phase: 'tls-tunnel',
    ready: true,
    because: 'routes phase tls-tunnel',
  },
  {
    name: 'HEAD http-proxy, unified: --destination-header applies only onto 8132, so Reversed-VPN is not probed',
    files: [FIXTURE.unifiedHttpProxy],
    phase: 'unified',
    headers: ['Reversed-VPN'],
    ready: true,
    because: 'routes phase unified (port 8443, X-Gardener-Destination)',
  },
];

describe('preflight verdicts on Gardener renderings', () => {
  it.each(rows)('$name', (row) => {
    const traffic = phaseTraffic(
      { phase: row.phase, destinationHeaders: row.headers, istioTlsTermination: row.tls ?? false },
      row.technicalIds,
    );
    const verdict = checkIngress(loadIstio(...row.files), traffic);
    expect(verdict.ready).toBe(row.ready);
    expect(verdict.reason).toContain(row.because);
  });
});

describe('technical-ID shapes', () => {
  // v1.114 accepted the socket destination only for shoot--<project>--<name>; v1.141 added the legacy shape.
  const v1114Regex = String.raw`^(outbound\|(1194\|\|vpn-seed-server(-[0-4])?|443\|\|kube-apiserver)\..*\.svc\.cluster\.local|shoot--.*--.*--kube-apiserver-socket)$`;
  const v1114 = () => collectIstioObjects(yaml.loadAll(fixtureText(FIXTURE.phase1).replace(PHASE1_REGEX, v1114Regex))).objects;

  it('a regex that misses legacy single-dash namespaces is not ready under TLS termination', () => {
    const verdict = checkIngress(v1114(), phaseTraffic({ phase: 'tls-tunnel', istioTlsTermination: true }));
    expect(verdict.ready).toBe(false);
    expect(verdict.reason).toContain('shoot-foo-bar--kube-apiserver-socket');
    const routed = verdict.gateways[0]!.outcomes.filter((o) => o.routed).map((o) => o.probe.technicalId);
    expect(routed).toEqual(['shoot--foo--bar', 'shoot--my-project--my-shoot-1']);
  });

  it('is ready for the shoots named with --technical-id when they all have the new shape', () => {
    const verdict = checkIngress(v1114(), phaseTraffic({ phase: 'tls-tunnel', istioTlsTermination: true }, ['shoot--foo--bar']));
    expect(verdict.ready).toBe(true);
  });

  it('the unified phase also checks the VPN servers vpn-shoot will reach on the same port', () => {
    const verdict = checkIngress(loadIstio(FIXTURE.unifiedHttpProxy), phaseTraffic({ phase: 'unified', istioTlsTermination: false }));
    const vpn = verdict.gateways[0]!.outcomes.filter((o) => o.probe.client === 'vpn-shoot');
    expect(vpn.map((o) => o.probe.headers['X-Gardener-Destination'])).toContain(
      'outbound|1194||vpn-seed-server-1.shoot-foo-bar.svc.cluster.local',
    );
    expect(vpn.every((o) => o.routed)).toBe(true);
  });
});

describe('what else makes an ingress not ready', () => {
  it('every ingress namespace must route, not just one', () => {
    const zonal = loadIstio(FIXTURE.legacy).map((o) => ({ ...o, namespace: 'istio-ingress--zone-a' }));
    const verdict = checkIngress(
      [...loadIstio(FIXTURE.phase1), ...zonal],
      phaseTraffic({ phase: 'tls-tunnel', istioTlsTermination: false }),
    );
    expect(verdict.ready).toBe(false);
    expect(verdict.reason).toMatch(/^istio-ingress--zone-a: .*ext_authz/);
  });

  it('an ext_authz filter the route disables does not count', () => {
    const objects = loadIstio(FIXTURE.legacy);
    const patch = (objects[0]!.spec.configPatches as Yaml[])[0]!;
    const connectRoute = patch.patch.value.typed_config.route_config.virtual_hosts[0].routes[0];
    connectRoute.typed_per_filter_config = { 'envoy.filters.http.ext_authz': { disabled: true } };
    expect(checkIngress(objects, phaseTraffic({ phase: 'tls-tunnel', istioTlsTermination: false })).ready).toBe(true);
  });

  it('a route to a fixed cluster does not route by destination', () => {
    const objects = loadIstio(FIXTURE.phase1);
    const patch = (objects[0]!.spec.configPatches as Yaml[])[0]!;
    patch.patch.value.typed_config.route_config.virtual_hosts[0].routes[0].route = {
      cluster: 'outbound|443||kube-apiserver.shoot--foo--bar.svc.cluster.local',
    };
    const verdict = checkIngress(objects, phaseTraffic({ phase: 'tls-tunnel', istioTlsTermination: false }));
    expect(verdict.reason).toContain('forwards to a fixed cluster');
  });

  it('a route without a CONNECT upgrade, on a connection manager without one, does not tunnel', () => {
    const objects = loadIstio(FIXTURE.phase1);
    const patch = (objects[0]!.spec.configPatches as Yaml[])[0]!;
    delete patch.patch.value.typed_config.route_config.virtual_hosts[0].routes[0].route.upgrade_configs;
    expect(checkIngress(objects, phaseTraffic({ phase: 'tls-tunnel', istioTlsTermination: false })).reason).toContain(
      'CONNECT is not upgraded',
    );
    // HEAD's http-connect-listener filter enables it for the whole port.
    const withListener = [...objects, ...loadIstio(FIXTURE.unifiedLegacyTlsTunnel).filter((o) => o.name === 'http-connect-listener')];
    expect(checkIngress(withListener, phaseTraffic({ phase: 'tls-tunnel', istioTlsTermination: false })).ready).toBe(true);
  });

  it('no objects at all is not ready', () => {
    expect(checkIngress([], phaseTraffic({ phase: 'unified', istioTlsTermination: false })).ready).toBe(false);
  });
});
