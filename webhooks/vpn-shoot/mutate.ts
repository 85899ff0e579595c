// The vpn-shoot webhook's decision, forward only (8132 < 8443): in the unified phase, every VPN client
// container of kube-system/vpn-shoot (Deployment, or StatefulSet in HA shoots) connects to Istio's
// http-proxy port 8443 with the X-Gardener-Destination header, exactly as Gardener v1.144 renders it. An
// object already there, and every object in the tls-tunnel phase, is left exactly as it is. Pure: a
// function of the request, the settings and the shoot's path; no I/O, the input is never modified, idempotent.
import type { Mutation } from '../../src/admission/mutation.js';
import type { AdmissionRequest } from '../../src/admission/types.js';
import type { MigrationSettings, Phase } from '../../src/gardener/settings.js';
import { HOLD } from '../../src/gardener/shoot-target.js';
import { technicalIdProblem } from '../../src/gardener/technical-id.js';
import { settingsForTarget, type ShootPath } from '../shoot-path.js';
import { vpnShootNamespace } from './shoot-namespace.js';
import { vpnShootOrder, type VpnShootRendering } from '../../src/gardener/renderings.js';
import { isRecord } from '../../src/util/is-record.js';
import { UNIFIED_OPENVPN_PORT, ensureUnifiedHttpProxyEnv } from './ensure-unified-env.js';
import { containerLabel, findVpnClientContainers, type VpnClientContainer } from './vpn-client-containers.js';
import { MIN_VPN_CLIENT_VERSION, vpnClientCompatibility } from './vpn-client-version.js';

export const VPN_SHOOT_NAME = 'vpn-shoot';
export const VPN_SHOOT_NAMESPACE = 'kube-system';

/** Why an object that reached the webhook was admitted unchanged (the `webhook_skipped_total` reason). */
export type VpnShootSkipReason =
  'old-vpn-client' | 'unknown-vpn-client-version' | 'unrecognised' | 'not-ours' | 'unknown-shoot' | 'other-shoot';
export type VpnShootReason = 'moved' | 'at-target' | 'ahead-of-target' | 'being-deleted' | VpnShootSkipReason;

export interface VpnShootMutation {
  /** The mutated object, or the input itself when nothing changes. */
  object: unknown;
  reason: VpnShootReason;
  warnings: readonly string[];
  skipped?: VpnShootSkipReason;
}

const PORT_NAME: Readonly<Record<VpnShootRendering, string>> = { 'tls-tunnel': 'the tls-tunnel port', unified: 'the unified port' };

/** Made once per (rendering, target): on a migrated seed this is the common answer. */
export function leftAsIsWarning(rendering: VpnShootRendering, target: Phase): string {
  return rendering === target
    ? `vpn-shoot: already on ${PORT_NAME[rendering]}; left unchanged`
    : `vpn-shoot: already on ${PORT_NAME[rendering]}, ahead of --phase ${target}; left unchanged`;
}

const LEFT_AS_IS_WARNINGS: Readonly<Record<VpnShootRendering, Readonly<Record<Phase, readonly string[]>>>> = {
  'tls-tunnel': { 'tls-tunnel': [leftAsIsWarning('tls-tunnel', 'tls-tunnel')], unified: [] },
  unified: { 'tls-tunnel': [leftAsIsWarning('unified', 'tls-tunnel')], unified: [leftAsIsWarning('unified', 'unified')] },
};

const HELD_WARNING = 'vpn-shoot: the shoot is held (its webhook path ends in /hold); admitted unchanged';
const STORED_AHEAD_WARNING = 'vpn-shoot: the stored object is on the unified port; this update is moved there, not back';

/**
 * The answer to one request. A hold admits exactly what Gardener rendered (also over a stored object on the
 * unified port: that is how a held shoot is taken back). Otherwise forward only holds for what the shoot
 * runs: an update carrying an earlier rendering over a stored object on the unified port (a lowered target,
 * or a webhook outage) is moved to the unified port, not back. A move is made only for the shoot the path
 * names, when it gives one: a misrouted request never moves another shoot.
 */
export function mutateVpnShootRequest(request: AdmissionRequest, settings: MigrationSettings, shoot: ShootPath): Mutation {
  if (shoot.target === HOLD) return { object: request.object, reason: 'held', warnings: [HELD_WARNING] };
  const target = settingsForTarget(settings, shoot.target);
  let mutation = mutateVpnShoot(request.object, target);
  if (
    mutation.reason === 'at-target' &&
    target.phase === 'tls-tunnel' &&
    request.operation === 'UPDATE' &&
    isOnUnifiedPort(request.oldObject, target)
  ) {
    const unified = mutateVpnShoot(request.object, { ...target, phase: 'unified' });
    mutation = unified.reason === 'moved' ? { ...unified, warnings: [...unified.warnings, STORED_AHEAD_WARNING] } : unified;
  }
  if (mutation.reason !== 'moved' || shoot.technicalId === undefined) return mutation;
  return notThatShoot(request.object, shoot.technicalId) ?? mutation;
}

/** Why the workload is not the path's shoot's (its REVERSED_VPN_HEADER names the shoot namespace), or undefined when it is. */
function notThatShoot(object: unknown, technicalId: string): VpnShootMutation | undefined {
  const idProblem = technicalIdProblem(technicalId);
  if (idProblem) return skip(object, 'unknown-shoot', idProblem);
  const found = vpnShootNamespace(object);
  if ('problem' in found) return skip(object, 'unknown-shoot', `cannot tell its shoot: ${found.problem}`);
  if (found.namespace !== technicalId) {
    return skip(object, 'other-shoot', `REVERSED_VPN_HEADER names ${found.namespace}, the path ${technicalId}`);
  }
  return undefined;
}

export function mutateVpnShoot(object: unknown, settings: MigrationSettings): VpnShootMutation {
  if (!isRecord(object)) return skip(object, 'unrecognised', 'no object to mutate');
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  if (metadata.deletionTimestamp) return { object, reason: 'being-deleted', warnings: [] };

  if (object.apiVersion !== 'apps/v1' || (object.kind !== 'Deployment' && object.kind !== 'StatefulSet')) {
    return skip(object, 'not-ours', `expected an apps/v1 Deployment or StatefulSet, got ${describeKind(object)}`);
  }
  // The apiserver always sets the namespace; offline files may leave it out.
  if (metadata.name !== VPN_SHOOT_NAME || (metadata.namespace !== undefined && metadata.namespace !== VPN_SHOOT_NAMESPACE)) {
    return skip(object, 'not-ours', `only ${VPN_SHOOT_NAMESPACE}/${VPN_SHOOT_NAME} is migrated, not ${describeName(metadata)}`);
  }

  const spec = isRecord(object.spec) ? object.spec : undefined;
  const template = spec && isRecord(spec.template) ? spec.template : undefined;
  const podSpec = template && isRecord(template.spec) ? template.spec : undefined;
  if (!spec || !template || !podSpec || !Array.isArray(podSpec.containers)) {
    return skip(object, 'unrecognised', 'spec.template.spec.containers is missing');
  }
  const clients = findVpnClientContainers(podSpec.containers);
  if (clients.length === 0) return skip(object, 'unrecognised', 'no VPN client container (REVERSED_VPN_HEADER/OPENVPN_PORT) found');

  const changes: { client: VpnClientContainer; env: readonly unknown[] }[] = [];
  for (const client of clients) {
    const ensured = ensureUnifiedHttpProxyEnv(client.env);
    if (!ensured.ok) return skip(object, 'unrecognised', `container ${containerLabel(client)}: ${ensured.why}`);
    if (ensured.changed) changes.push({ client, env: ensured.env });
  }
  // Forward only: a client counts as on the unified port when both its variables say so; the object is
  // there when every client is. Whatever is at or past the target stays exactly as it is.
  const rendering: VpnShootRendering = changes.length === 0 ? 'unified' : 'tls-tunnel';
  const ahead = vpnShootOrder(rendering) - vpnShootOrder(settings.phase);
  if (ahead >= 0) {
    return { object, reason: ahead === 0 ? 'at-target' : 'ahead-of-target', warnings: LEFT_AS_IS_WARNINGS[rendering][settings.phase] };
  }

  const clientCheck = compatibilityOf(
    changes.map((c) => c.client),
    settings,
  );
  if (clientCheck.skipped) return { object, reason: clientCheck.skipped, warnings: clientCheck.warnings, skipped: clientCheck.skipped };

  const containers = [...podSpec.containers];
  for (const { client, env } of changes) containers[client.index] = { ...client.container, env };
  const mutated = { ...object, spec: { ...spec, template: { ...template, spec: { ...podSpec, containers } } } };
  return { object: mutated, reason: 'moved', warnings: clientCheck.warnings };
}

/** Whether every VPN client of the object is on the unified port (both variables say so). */
export function isOnUnifiedPort(object: unknown, settings: MigrationSettings): boolean {
  return mutateVpnShoot(object, { ...settings, phase: 'tls-tunnel' }).reason === 'ahead-of-target';
}

/**
 * Every client that would change must read REVERSED_VPN_HEADER_KEY (>= 0.42.0): an older one keeps
 * sending Reversed-VPN to a port that does not route it. All or nothing, so HA clients never diverge.
 */
function compatibilityOf(clients: VpnClientContainer[], settings: MigrationSettings): { warnings: string[]; skipped?: VpnShootSkipReason } {
  // Sets: HA clients share one image and deserve one warning.
  const old = new Set<string>();
  const unknown = new Set<string>();
  for (const client of clients) {
    const compatibility = vpnClientCompatibility(client.container.image);
    if (compatibility.kind === 'old') {
      old.add(
        `vpn-shoot: admitted unchanged, vpn-client ${compatibility.tag} is older than ${MIN_VPN_CLIENT_VERSION} (needed for port ${UNIFIED_OPENVPN_PORT})`,
      );
    } else if (compatibility.kind === 'unknown') {
      unknown.add(compatibility.why);
    }
  }
  if (old.size > 0) return { warnings: [...old], skipped: 'old-vpn-client' };
  if (unknown.size === 0) return { warnings: [] };
  if (settings.assumeVpnClientCompatible) {
    return {
      warnings: [...unknown].map(
        (why) => `vpn-shoot: vpn-client ${MIN_VPN_CLIENT_VERSION} assumed (--assume-vpn-client-compatible): ${why}`,
      ),
    };
  }
  return {
    warnings: [...unknown].map(
      (why) => `vpn-shoot: unchanged, needs vpn-client ${MIN_VPN_CLIENT_VERSION} (or --assume-vpn-client-compatible): ${why}`,
    ),
    skipped: 'unknown-vpn-client-version',
  };
}

function skip(object: unknown, reason: VpnShootSkipReason, why: string): VpnShootMutation {
  return { object, reason, warnings: [`vpn-shoot: admitted unchanged: ${why}`], skipped: reason };
}

function describeKind(object: Record<string, unknown>): string {
  const kind = typeof object.kind === 'string' ? object.kind : 'no kind';
  return typeof object.apiVersion === 'string' ? `${object.apiVersion} ${kind}` : kind;
}

function describeName(metadata: Record<string, unknown>): string {
  const name = typeof metadata.name === 'string' ? metadata.name : '(no name)';
  return typeof metadata.namespace === 'string' ? `${metadata.namespace}/${name}` : name;
}
