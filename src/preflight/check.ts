// The preflight: does each ingress gateway route the CONNECTs a phase will send? A CONNECT is routed when
// the first route Envoy picks for it forwards it by the destination header to the cluster that header
// names, with CONNECT upgraded, and no ext_authz filter on the port is left to refuse it.
import { connectRequest, routeMatches, selectVirtualHost } from './envoy-matchers.js';
import { field, listField, objectField, stringField, type Json } from './fields.js';
import { isRecord } from '../util/is-record.js';
import { EXT_AUTHZ, ingressPort, isConnectUpgrade, type IngressPort, type VirtualHost } from './ingress-port.js';
import { byNamespace, type IstioObject } from './istio-objects.js';
import { SAMPLE_AUTHORITY, type PhaseTraffic, type Probe } from './phase-traffic.js';

export interface ProbeOutcome {
  probe: Probe;
  routed: boolean;
  /** Which route took it, or why none did. */
  explanation: string;
}

export interface GatewayVerdict {
  namespace: string;
  ready: boolean;
  outcomes: ProbeOutcome[];
  /** Failures that are not about one probe (no Gateway opens the port). */
  problems: string[];
  notes: string[];
}

export interface IngressVerdict {
  ready: boolean;
  /** One line for an operator: why not ready, or what was found. */
  reason: string;
  gateways: GatewayVerdict[];
}

export function checkIngress(objects: readonly IstioObject[], traffic: PhaseTraffic): IngressVerdict {
  const groups = byNamespace(objects);
  if (groups.size === 0) {
    return { ready: false, reason: 'no EnvoyFilter or Gateway found: nothing routes the phase traffic', gateways: [] };
  }
  const gateways = [...groups].map(([namespace, group]) => checkGateway(namespace, ingressPort(group, traffic.port), traffic));
  const failed = gateways.find((g) => !g.ready);
  const headers = traffic.headerKeys.join(', ');
  const reason = failed
    ? `${failed.namespace}: ${failed.problems[0] ?? describeFailure(failed.outcomes.find((o) => !o.routed)!)}`
    : `${gateways.map((g) => g.namespace).join(', ')} route${gateways.length === 1 ? 's' : ''} phase ${traffic.phase} ` +
      `(port ${traffic.port}, ${headers}) for ${traffic.probes.length} sample destination(s)`;
  return { ready: !failed, reason, gateways };
}

function describeFailure(outcome: ProbeOutcome): string {
  const [key, value] = Object.entries(outcome.probe.headers)[0]!;
  return `${outcome.probe.client} CONNECT with ${key}: ${value} ${outcome.explanation}`;
}

function checkGateway(namespace: string, port: IngressPort, traffic: PhaseTraffic): GatewayVerdict {
  const problems: string[] = [];
  const notes: string[] = [];
  if (port.gatewaysSeen && port.openedBy.length === 0) {
    problems.push(`no Gateway opens port ${port.port} for HTTP, so the ingress does not listen there`);
  } else if (!port.gatewaysSeen) {
    notes.push(`no Gateway in the input: not checked that one opens port ${port.port}`);
  }
  for (const unmodelled of port.unmodelled) notes.push(`not evaluated: ${unmodelled}`);
  for (const filter of port.httpFilters) {
    if (filter.name !== EXT_AUTHZ) notes.push(`not evaluated: HTTP filter ${filter.name} from ${filter.source}`);
  }
  const outcomes = traffic.probes.map((probe) => routeProbe(port, probe));
  return { namespace, ready: problems.length === 0 && outcomes.every((o) => o.routed), outcomes, problems, notes };
}

function routeProbe(port: IngressPort, probe: Probe): ProbeOutcome {
  const fail = (explanation: string): ProbeOutcome => ({ probe, routed: false, explanation });
  if (port.virtualHosts.length === 0) return fail(`finds no EnvoyFilter route configuration on port ${port.port}`);
  const request = connectRequest(SAMPLE_AUTHORITY, probe.headers);
  const host = selectVirtualHost(port.virtualHosts, request.authority);
  if (!host) return fail(`matches no virtual host on port ${port.port}`);
  const index = host.routes.findIndex((route) => routeMatches(objectField(route, 'match') ?? {}, request));
  const where = `virtual host ${host.name} (${host.source})`;
  if (index < 0) return fail(`matches no route of ${where}: Envoy answers 404`);
  const route = host.routes[index]!;
  const at = `route ${index + 1} of ${where}`;
  const action = objectField(route, 'route');
  if (!action) return fail(`first matches ${at}, which ${field(route, 'redirect') ? 'redirects' : 'does not forward'} it`);
  const clusterHeader = stringField(action, 'cluster_header');
  if (!clusterHeader) return fail(`first matches ${at}, which forwards to a fixed cluster, not by the destination header`);
  const sent = Object.keys(probe.headers).find((key) => key.toLowerCase() === clusterHeader.toLowerCase());
  if (!sent) return fail(`first matches ${at}, which takes its cluster from ${clusterHeader}, a header not sent`);
  if (!port.connectUpgrade && !listField(action, 'upgrade_configs').some(isConnectUpgrade)) {
    return fail(`first matches ${at}, but CONNECT is not upgraded there`);
  }
  const authz = port.httpFilters.find((f) => f.name === EXT_AUTHZ);
  if (authz && !extAuthzDisabled(route, host)) {
    return fail(`first matches ${at}, but the ext_authz filter from ${authz.source} is still on the port and would refuse it`);
  }
  return { probe, routed: true, explanation: `${at}, cluster_header ${clusterHeader}` };
}

function extAuthzDisabled(route: Json, host: VirtualHost): boolean {
  for (const perFilter of [objectField(route, 'typed_per_filter_config'), host.typedPerFilterConfig]) {
    const config = perFilter?.[EXT_AUTHZ];
    if (isRecord(config)) return field(config, 'disabled') === true;
  }
  return false;
}
