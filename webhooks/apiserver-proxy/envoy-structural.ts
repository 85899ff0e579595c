// The fallback for any envoy.yaml that is not Gardener's exact layout (other indentation, key order,
// quoting, no comments): parse, classify, apply the same three deltas to the data, dump. Comments are lost, so a
// document that already means the target comes back as it was, byte for byte.
import yaml from 'js-yaml';
import { isRecord } from '../../src/util/is-record.js';
import type { Destination, DestinationHeader } from './destination.js';
import { classifyEnvoy, type EnvoyState } from './envoy-state.js';

export type StructuralEdit = { text: string; host: string } | { unrecognised: string };

const LISTENER = 'kube_apiserver';
const CLUSTER = 'kube_apiserver';
const TCP_PROXY_FILTER = 'envoy.filters.network.tcp_proxy';
const TCP_PROXY_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy';
const PROXY_PROTOCOL_SOCKET = 'envoy.transport_sockets.upstream_proxy_protocol';
const PROXY_PROTOCOL_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.proxy_protocol.v3.ProxyProtocolUpstreamTransport';

export type Mapping = Record<string, unknown>;

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function named(items: unknown, name: string): Mapping[] {
  return list(items).filter((item): item is Mapping => isRecord(item) && item.name === name);
}

/** The parts of a parsed envoy.yaml that GEP-30 changes. */
export interface ParsedEnvoy {
  document: Mapping;
  tcpProxy: Mapping;
  cluster: Mapping;
  socketAddress: Mapping;
  /** The cluster endpoint's host name. */
  host: string;
}

/** The document's GEP-30 parts, or why it has none (never quoting the document: it is the shoot's config). */
export function parseEnvoy(text: string): ParsedEnvoy | { unrecognised: string } {
  let document: unknown;
  try {
    // The core schema reads what Envoy's YAML 1.2 reader reads: no timestamps, no merge keys.
    document = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    const line = (err as { mark?: { line?: number } }).mark?.line;
    return { unrecognised: `envoy.yaml is not valid YAML${line === undefined ? '' : ` (line ${line + 1})`}` };
  }
  if (!isRecord(document)) return { unrecognised: 'envoy.yaml is not a mapping' };
  const resources = document.static_resources;
  if (!isRecord(resources)) return { unrecognised: 'envoy.yaml has no static_resources' };

  const listeners = named(resources.listeners, LISTENER);
  if (listeners.length !== 1) return { unrecognised: `envoy.yaml does not have exactly one ${LISTENER} listener` };
  const tcpProxies = list(listeners[0]!.filter_chains)
    .flatMap((chain) => (isRecord(chain) ? list(chain.filters) : []))
    .filter((filter): filter is Mapping => isRecord(filter) && (filter.name === TCP_PROXY_FILTER || typeOf(filter) === TCP_PROXY_TYPE))
    .map((filter) => filter.typed_config);
  if (tcpProxies.length !== 1 || !isRecord(tcpProxies[0])) {
    return { unrecognised: `the ${LISTENER} listener does not have exactly one tcp_proxy filter` };
  }

  const clusters = named(resources.clusters, CLUSTER);
  if (clusters.length !== 1) return { unrecognised: `envoy.yaml does not have exactly one ${CLUSTER} cluster` };
  const cluster = clusters[0]!;
  const loadAssignment = isRecord(cluster.load_assignment) ? cluster.load_assignment : {};
  const socketAddresses = list(loadAssignment.endpoints)
    .flatMap((locality) => (isRecord(locality) ? list(locality.lb_endpoints) : []))
    .map((lbEndpoint) => (isRecord(lbEndpoint) && isRecord(lbEndpoint.endpoint) ? lbEndpoint.endpoint.address : undefined))
    .map((address) => (isRecord(address) ? address.socket_address : undefined));
  const socketAddress = socketAddresses[0];
  if (socketAddresses.length !== 1 || !isRecord(socketAddress) || typeof socketAddress.address !== 'string') {
    return { unrecognised: `the ${CLUSTER} cluster does not have exactly one endpoint with a host name` };
  }
  return { document, tcpProxy: tcpProxies[0], cluster, socketAddress, host: socketAddress.address };
}

/** The rendering a parsed document is. */
export function parsedEnvoyState(parsed: ParsedEnvoy): EnvoyState {
  const tunneling = parsed.tcpProxy.tunneling_config;
  const headers = parsedEnvoyHeaders(parsed);
  const socket = parsed.cluster.transport_socket;
  return classifyEnvoy({
    tunnels: tunneling !== undefined && tunneling !== null,
    sendsDestination: headers !== undefined && headers.length > 0,
    port: parsed.socketAddress.port_value,
    proxyProtocol: isRecord(socket) && isProxyProtocol(socket),
  });
}

/**
 * The headers the document tunnels with, in order; undefined when one has no string key and value
 * (it sends nothing this migration can name).
 */
export function parsedEnvoyHeaders(parsed: ParsedEnvoy): DestinationHeader[] | undefined {
  const tunneling = parsed.tcpProxy.tunneling_config;
  const headers: DestinationHeader[] = [];
  for (const entry of isRecord(tunneling) ? list(tunneling.headers_to_add) : []) {
    const header = isRecord(entry) && isRecord(entry.header) ? entry.header : undefined;
    if (!header || typeof header.key !== 'string' || typeof header.value !== 'string') return undefined;
    headers.push({ key: header.key, value: header.value });
  }
  return headers;
}

/** The parsed document moved to `destination` (modified in place) and dumped; the text itself when nothing changed. */
export function moveParsedEnvoy(text: string, parsed: ParsedEnvoy, destination: Destination): string {
  const { document, tcpProxy, cluster, socketAddress, host } = parsed;
  // Each delta says whether it changed anything, so that no deep comparison of the whole document is needed
  // (anchors and aliases can make one exponential).
  let changed = setTunnelingConfig(tcpProxy, `${host}:443`, destination);
  if (socketAddress.port_value !== destination.port) {
    socketAddress.port_value = destination.port;
    changed = true;
  }
  if (isRecord(cluster.transport_socket) && isProxyProtocol(cluster.transport_socket)) {
    delete cluster.transport_socket;
    changed = true;
  }
  if (!changed) return text;
  // References stay references: expanding aliases could multiply the document.
  return yaml.dump(document, { schema: yaml.CORE_SCHEMA, lineWidth: -1 });
}

/** The document set to `destination`, or why it cannot be. */
export function editEnvoyStructurally(text: string, destination: Destination): StructuralEdit {
  const parsed = parseEnvoy(text);
  if ('unrecognised' in parsed) return parsed;
  return { text: moveParsedEnvoy(text, parsed, destination), host: parsed.host };
}

function typeOf(mapping: Mapping): unknown {
  return isRecord(mapping.typed_config) ? mapping.typed_config['@type'] : undefined;
}

function isProxyProtocol(socket: Mapping): boolean {
  return socket.name === PROXY_PROTOCOL_SOCKET || typeOf(socket) === PROXY_PROTOCOL_TYPE;
}

/**
 * Sets hostname and headers_to_add, keeping any other tunneling option; true when that changed them. A new
 * tunneling_config goes right after `cluster`, where Gardener's template has it.
 */
function setTunnelingConfig(tcpProxy: Mapping, hostname: string, destination: Destination): boolean {
  const headers = destination.headers.map(({ key, value }) => ({ header: { key, value } }));
  const existing = tcpProxy.tunneling_config;
  if (isRecord(existing)) {
    if (existing.hostname === hostname && sameHeaders(existing.headers_to_add, destination)) return false;
    existing.hostname = hostname;
    existing.headers_to_add = headers;
    return true;
  }
  const entries = Object.entries(tcpProxy);
  const after = entries.findIndex(([key]) => key === 'cluster') + 1 || entries.length;
  entries.splice(after, 0, ['tunneling_config', { hostname, headers_to_add: headers }]);
  for (const key of Object.keys(tcpProxy)) delete tcpProxy[key];
  Object.assign(tcpProxy, Object.fromEntries(entries));
  return true;
}

/** Exactly the destination's headers, in order, with nothing else set on them. */
function sameHeaders(headersToAdd: unknown, destination: Destination): boolean {
  const entries = list(headersToAdd);
  return (
    Array.isArray(headersToAdd) &&
    entries.length === destination.headers.length &&
    entries.every((entry, i) => {
      const expected = destination.headers[i]!;
      if (!isRecord(entry) || Object.keys(entry).length !== 1 || !isRecord(entry.header)) return false;
      const header = entry.header;
      return Object.keys(header).length === 2 && header.key === expected.key && header.value === expected.value;
    })
  );
}
