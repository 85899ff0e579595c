// The apiserver-proxy webhook's decision, pure: a function of the request, the settings, the shoot's path
// (technical ID and target) and what the seed's services answered. The ConfigMap moves forward to the
// target: a rendering behind it moves to it; one at or ahead of it is left exactly as it is. Gardener's own
// layout takes the verified text edit and comes out byte-identical to Gardener's rendering of the target;
// any other layout takes the structural edit.
import type { Mutation } from '../../src/admission/mutation.js';
import type { QuotedString } from '../../src/admission/patch-json.js';
import type { AdmissionRequest, KubeObject } from '../../src/admission/types.js';
import type { MigrationSettings, Phase } from '../../src/gardener/settings.js';
import { HOLD } from '../../src/gardener/shoot-target.js';
import { apiserverProxyOrder } from '../../src/gardener/renderings.js';
import { fqdnBelongsToShoot, technicalIdProblem } from '../../src/gardener/technical-id.js';
import { settingsForTarget, type ShootPath } from '../shoot-path.js';
import { APISERVER_PROXY_LABELS, ENVOY_CONFIG_KEY } from './config-map.js';
import { computedDestinationValue, destinationFor, existingDestinationValue, targetHeaderKeys } from './destination.js';
import { gardenerLayoutHeaders, gardenerLayoutState, moveGardenerLayout, readGardenerLayout } from './envoy-fast-path.js';
import type { EnvoyState } from './envoy-state.js';
import { moveParsedEnvoy, parseEnvoy, parsedEnvoyHeaders, parsedEnvoyState } from './envoy-structural.js';
import { storedAhead, storedConfigurationWarning } from './stored-config.js';

export { APISERVER_PROXY_LABELS, ENVOY_CONFIG_KEY } from './config-map.js';
const REQUIRED_LABELS = Object.entries(APISERVER_PROXY_LABELS);

/** Why the object was left alone although it reached the webhook; the warning says more. */
export type SkipReason = 'not-ours' | 'unknown-shoot' | 'unrecognised';
/** Left exactly as it is because it is already where the target would take it, or further. */
export type LeftReason = 'at-target' | 'ahead-of-target';
export type ApiserverProxyReason = 'moved' | LeftReason | SkipReason;

export interface ApiserverProxyMutation {
  /** The mutated object, or the very object passed in when nothing changes. */
  object: KubeObject;
  reason: ApiserverProxyReason;
  warnings: readonly string[];
  /** Set when the object was left alone although it might be in scope; the warning says why. */
  skipped?: SkipReason;
  /** The new envoy.yaml with its JSON text, when the text edit rendered both (for the answer's patch). */
  quoted?: QuotedString[];
}

/** Whether the seed's ingress routes a phase, as its last check found. */
export interface IngressAnswer {
  ready: boolean;
  reason?: string;
}

/** What the seed's services answer, supplied by the registration so the decision stays pure. */
export interface ApiserverProxyAnswers {
  /** Asked only when the ConfigMap would move (on a migrated seed, nearly no request); absent when the server does not check. */
  ingress?: (phase: Phase) => IngressAnswer;
}

const HELD_WARNING = 'apiserver-proxy: the shoot is held (its webhook path ends in /hold); admitted unchanged';
const STORED_AHEAD_WARNING = 'apiserver-proxy: the stored config is ahead of this update; kept as stored';

/**
 * The answer to one request. A hold admits exactly what Gardener rendered (also over a stored config that is
 * ahead: that is how a held shoot is taken back). Otherwise an update never takes the shoot below the
 * rendering it already runs: the resource manager re-applies an older rendering over one the shoot runs (a
 * lowered target, or a webhook outage), and the stored data stays, so the update is a no-op.
 */
export function mutateApiserverProxyRequest(
  request: AdmissionRequest,
  settings: MigrationSettings,
  shoot: ShootPath,
  answers: ApiserverProxyAnswers,
): Mutation {
  const object = request.object;
  if (!object) {
    return {
      object,
      reason: 'unrecognised',
      skipped: 'unrecognised',
      warnings: ['apiserver-proxy: the request carries no object; admitted unchanged'],
    };
  }
  if (shoot.target === HOLD) return { object, reason: 'held', warnings: [HELD_WARNING] };
  const decided = decide(request, object, settingsForTarget(settings, shoot.target), shoot.technicalId, answers);
  const stored = storedAhead(request, object, decided.object as KubeObject);
  if (stored === undefined) return decided;
  const kept = { ...object, data: { ...(object.data as Record<string, unknown>), [ENVOY_CONFIG_KEY]: stored } };
  return { object: kept, reason: 'ahead-of-target', warnings: [STORED_AHEAD_WARNING] };
}

/** The ConfigMap's move, when the seed routes the target. */
function decide(
  request: AdmissionRequest,
  object: KubeObject,
  settings: MigrationSettings,
  technicalId: string | undefined,
  answers: ApiserverProxyAnswers,
): Mutation {
  const mutation = mutateApiserverProxyConfigMap(object, settings, technicalId);
  if (mutation.reason !== 'moved') return mutation;
  // Only a move needs the seed to route the new port and header first.
  const ingress = answers.ingress?.(settings.phase);
  if (ingress && !ingress.ready) {
    const why = ingress.reason ? `: ${ingress.reason}` : '';
    const warning = `apiserver-proxy: seed ingress not ready for ${settings.phase}${why}; admitted unchanged`;
    return { object, reason: 'ingress-not-ready', skipped: 'ingress-not-ready', warnings: [warning] };
  }
  return { ...mutation, warnings: [...mutation.warnings, ...storedConfigurationWarning(request, mutation.object)] };
}

const PORT_NAME: Readonly<Record<Phase, string>> = { 'tls-tunnel': 'the tls-tunnel port', unified: 'the unified port' };

/** One warning per (rendering, target), made once: this is the common answer on a migrated seed. */
export function leftAsIsWarning(rendering: Phase, target: Phase): string {
  return rendering === target
    ? `apiserver-proxy: already on ${PORT_NAME[rendering]}; left unchanged`
    : `apiserver-proxy: already on ${PORT_NAME[rendering]}, ahead of --phase ${target}; left unchanged`;
}

const LEFT_AS_IS_WARNINGS: Readonly<Record<Phase, Readonly<Record<Phase, readonly string[]>>>> = {
  'tls-tunnel': { 'tls-tunnel': [leftAsIsWarning('tls-tunnel', 'tls-tunnel')], unified: [leftAsIsWarning('tls-tunnel', 'unified')] },
  unified: { 'tls-tunnel': [leftAsIsWarning('unified', 'tls-tunnel')], unified: [leftAsIsWarning('unified', 'unified')] },
};

/** The ConfigMap moved to `settings.phase`, a pure function of the object, the settings and the shoot's technical ID. */
export function mutateApiserverProxyConfigMap(
  object: KubeObject,
  settings: MigrationSettings,
  technicalId: string | undefined,
): ApiserverProxyMutation {
  const leave = (skipped: SkipReason, why: string): ApiserverProxyMutation => ({
    object,
    reason: skipped,
    skipped,
    warnings: [`apiserver-proxy: ${why}; admitted unchanged`],
  });

  const notOurs = notTheApiserverProxyConfigMap(object);
  if (notOurs) return leave(notOurs.reason, notOurs.why);
  const text = (object.data as Record<string, unknown>)[ENVOY_CONFIG_KEY] as string;

  // Gardener's layout is classified from its slots without parsing; anything else is parsed once.
  const layout = readGardenerLayout(text);
  const parsed = layout ? undefined : parseEnvoy(text);
  if (parsed && 'unrecognised' in parsed) return leave('unrecognised', parsed.unrecognised);
  const state: EnvoyState = layout ? gardenerLayoutState(layout) : parsedEnvoyState(parsed!);
  if ('unrecognised' in state) return leave('unrecognised', state.unrecognised);

  // Forward only: what is at or past the target stays exactly as Gardener (or an earlier move) left it.
  const ahead = apiserverProxyOrder(state.rendering) - apiserverProxyOrder(settings.phase);
  if (ahead >= 0) {
    const rendering = state.rendering as Phase; // never legacy: the lowest target is tls-tunnel
    return { object, reason: ahead === 0 ? 'at-target' : 'ahead-of-target', warnings: LEFT_AS_IS_WARNINGS[rendering][settings.phase] };
  }

  // Only a move needs to know the shoot: its value for a legacy rendering, and that the host is its own.
  const idProblem = technicalIdProblem(technicalId);
  if (idProblem || technicalId === undefined) return leave('unknown-shoot', idProblem ?? 'no shoot technical ID');
  const host = layout ? layout.proxySeedServerHost : (parsed as { host: string }).host;
  if (!fqdnBelongsToShoot(host, technicalId)) {
    return leave('unknown-shoot', `the API server host in ${ENVOY_CONFIG_KEY} is not that of shoot ${technicalId}`);
  }
  // The shoot's own destination survives every move; only a legacy rendering, which has none, gets one.
  const value =
    state.rendering === 'legacy'
      ? computedDestinationValue(settings, technicalId)
      : existingDestinationValue(layout ? gardenerLayoutHeaders(layout) : parsedEnvoyHeaders(parsed!)!)!;
  const destination = destinationFor(settings.phase, targetHeaderKeys(settings), value);

  let moved: string;
  let quoted: QuotedString[] = [];
  if (layout) {
    const edit = moveGardenerLayout(layout, destination);
    moved = edit.text;
    quoted = [edit];
  } else {
    moved = moveParsedEnvoy(text, parsed as Exclude<typeof parsed, { unrecognised: string } | undefined>, destination);
  }
  return {
    object: { ...object, data: { ...(object.data as Record<string, unknown>), [ENVOY_CONFIG_KEY]: moved } },
    reason: 'moved',
    warnings: [],
    quoted,
  };
}

/** Why the object is not Gardener's apiserver-proxy ConfigMap, or undefined when it is. */
function notTheApiserverProxyConfigMap(object: KubeObject): { reason: SkipReason; why: string } | undefined {
  if (typeof object !== 'object' || object === null || object.kind !== 'ConfigMap')
    return { reason: 'not-ours', why: 'the object is not a ConfigMap' };
  const labels = object.metadata?.labels ?? {};
  if (REQUIRED_LABELS.some(([key, value]) => labels[key] !== value)) {
    return { reason: 'not-ours', why: 'the ConfigMap lacks the labels app=kubernetes, role=apiserver-proxy' };
  }
  const namespace = object.metadata?.namespace;
  if (namespace !== undefined && namespace !== 'kube-system') return { reason: 'not-ours', why: 'the ConfigMap is not in kube-system' };
  const data = object.data;
  if (typeof data !== 'object' || data === null || typeof (data as Record<string, unknown>)[ENVOY_CONFIG_KEY] !== 'string') {
    return { reason: 'unrecognised', why: `the ConfigMap has no data key ${ENVOY_CONFIG_KEY}` };
  }
  return undefined;
}
