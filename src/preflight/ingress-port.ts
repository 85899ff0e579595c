// What one ingress gateway does on one port, assembled from its EnvoyFilters and Gateways the way Istio
// applies the patches: the HTTP connection manager's routes, whether it upgrades CONNECT, and its HTTP filters.
import { PreflightInputError } from './errors.js';
import { field, listField, objectField, stringField, type Json } from './fields.js';
import { isRecord } from '../util/is-record.js';
import type { IstioObject } from './istio-objects.js';

const HTTP_CONNECTION_MANAGER = 'envoy.filters.network.http_connection_manager';
export const EXT_AUTHZ = 'envoy.filters.http.ext_authz';
const INSERTING = new Set(['ADD', 'INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST', 'REPLACE']);
// Patches that rewrite routes outside the connection manager's route_config: the preflight would be guessing.
const ROUTE_PATCHES = new Set(['ROUTE_CONFIGURATION', 'VIRTUAL_HOST', 'HTTP_ROUTE']);

export interface VirtualHost {
  name: string;
  domains: string[];
  routes: Json[];
  typedPerFilterConfig?: Json;
  /** The EnvoyFilter that contributed it. */
  source: string;
}

export interface HttpFilter {
  name: string;
  source: string;
}

export interface IngressPort {
  port: number;
  virtualHosts: VirtualHost[];
  /** The connection manager upgrades CONNECT for every route. */
  connectUpgrade: boolean;
  httpFilters: HttpFilter[];
  /** Gateways opening the port for HTTP, and whether any Gateway was seen at all. */
  openedBy: string[];
  gatewaysSeen: boolean;
  /** Patches on the port the preflight does not model (listener filters, RBAC filters, ...). */
  unmodelled: string[];
}

export function ingressPort(objects: readonly IstioObject[], port: number): IngressPort {
  const result: IngressPort = {
    port,
    virtualHosts: [],
    connectUpgrade: false,
    httpFilters: [],
    openedBy: [],
    gatewaysSeen: false,
    unmodelled: [],
  };
  const removed = new Set<string>();
  for (const object of objects) {
    if (object.kind === 'Gateway') addGateway(object, port, result);
    else
      listField(object.spec, 'config_patches').forEach((patch, index) => {
        if (isRecord(patch))
          addPatch(patch, `EnvoyFilter ${object.name}`, `EnvoyFilter ${object.name} patch ${index + 1}`, port, result, removed);
      });
  }
  result.httpFilters = result.httpFilters.filter((f) => !removed.has(f.name));
  return result;
}

function addGateway(gateway: IstioObject, port: number, into: IngressPort): void {
  into.gatewaysSeen = true;
  for (const server of listField(gateway.spec, 'servers')) {
    const serverPort = isRecord(server) ? objectField(server, 'port') : undefined;
    if (!serverPort || Number(field(serverPort, 'number')) !== port) continue;
    // The connection manager, and so the CONNECT route, exists only on an HTTP server.
    if (stringField(serverPort, 'protocol')?.toUpperCase() === 'HTTP') into.openedBy.push(`Gateway ${gateway.name}`);
  }
}

function addPatch(patch: Json, source: string, where: string, port: number, into: IngressPort, removed: Set<string>): void {
  const applyTo = stringField(patch, 'apply_to') ?? '';
  const match = objectField(patch, 'match') ?? {};
  const context = stringField(match, 'context') ?? 'ANY';
  if (context !== 'GATEWAY' && context !== 'ANY') return;
  const listener = objectField(match, 'listener');
  const routeConfiguration = objectField(match, 'route_configuration');
  const patchPort = Number(field(listener ?? routeConfiguration ?? {}, 'port_number') ?? 0);
  // Port 0 (unset) applies to every listener.
  if (patchPort !== 0 && patchPort !== port) return;
  const value = objectField(objectField(patch, 'patch') ?? {}, 'value') ?? {};
  const operation = stringField(objectField(patch, 'patch') ?? {}, 'operation') ?? '';
  if (ROUTE_PATCHES.has(applyTo)) {
    throw new PreflightInputError(`${where}: applyTo ${applyTo} on port ${port} is not evaluated by the preflight`);
  }
  const filterChain = listener ? objectField(listener, 'filter_chain') : undefined;
  const filter = filterChain ? objectField(filterChain, 'filter') : undefined;
  if (applyTo === 'NETWORK_FILTER' && stringField(filter ?? {}, 'name') === HTTP_CONNECTION_MANAGER && operation === 'MERGE') {
    addConnectionManager(objectField(value, 'typed_config') ?? {}, source, into);
  } else if (applyTo === 'HTTP_FILTER') {
    const name = stringField(value, 'name');
    if (INSERTING.has(operation) && name) into.httpFilters.push({ name, source });
    const target = stringField(objectField(filter ?? {}, 'sub_filter') ?? {}, 'name');
    if (operation === 'REMOVE' && target) removed.add(target);
  } else {
    into.unmodelled.push(`${where} (${applyTo} ${operation})`);
  }
}

function addConnectionManager(config: Json, source: string, into: IngressPort): void {
  if (listField(config, 'upgrade_configs').some(isConnectUpgrade)) into.connectUpgrade = true;
  for (const filter of listField(config, 'http_filters')) {
    const name = isRecord(filter) ? stringField(filter, 'name') : undefined;
    if (name) into.httpFilters.push({ name, source });
  }
  const routeConfig = objectField(config, 'route_config');
  for (const host of routeConfig ? listField(routeConfig, 'virtual_hosts') : []) {
    if (!isRecord(host)) continue;
    into.virtualHosts.push({
      name: stringField(host, 'name') ?? '(unnamed)',
      domains: listField(host, 'domains').filter((d): d is string => typeof d === 'string'),
      routes: listField(host, 'routes').filter(isRecord),
      typedPerFilterConfig: objectField(host, 'typed_per_filter_config'),
      source,
    });
  }
}

export function isConnectUpgrade(upgrade: unknown): boolean {
  if (!isRecord(upgrade)) return false;
  const enabled = field(upgrade, 'enabled');
  // UpgradeConfig.enabled is a BoolValue: absent means enabled; protobuf JSON writes it as a bare boolean.
  const off = enabled === false || (isRecord(enabled) && enabled.value === false);
  return stringField(upgrade, 'upgrade_type')?.toUpperCase() === 'CONNECT' && !off;
}
