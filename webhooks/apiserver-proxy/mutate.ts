// The apiserver-proxy ConfigMap moved into the configured GEP-30 phase: a pure function of the object,
// the settings and the shoot's technical ID. Gardener's own rendering takes the verified text edit and
// stays byte-identical to Gardener's rendering of the phase; any other layout takes the structural edit.
import type { QuotedString } from '../../src/admission/patch-json.js';
import type { KubeObject } from '../../src/admission/types.js';
import type { MigrationSettings } from '../../src/config/settings.js';
import { destinationFor } from './destination.js';
import { editGardenerLayout } from './envoy-fast-path.js';
import { editEnvoyStructurally } from './envoy-structural.js';
import { fqdnBelongsToShoot, technicalIdProblem } from './technical-id.js';

export const ENVOY_CONFIG_KEY = 'envoy.yaml';
/** The labels Gardener puts on the ConfigMap, and the webhook's object selector. */
export const APISERVER_PROXY_LABELS: Readonly<Record<string, string>> = { app: 'kubernetes', role: 'apiserver-proxy' };
const REQUIRED_LABELS = Object.entries(APISERVER_PROXY_LABELS);

export type SkipReason = 'unknown-shoot' | 'unrecognised';

export interface ApiserverProxyMutation {
  /** The mutated object, or the very object passed in when nothing changes. */
  object: KubeObject;
  warnings: string[];
  /** Set when the object was left alone although it might be in scope; the warning says why. */
  skipped?: SkipReason;
  /** The new envoy.yaml with its JSON text, when the text edit rendered both (for the answer's patch). */
  quoted?: QuotedString[];
}

export function mutateApiserverProxyConfigMap(
  object: KubeObject,
  settings: MigrationSettings,
  technicalId: string | undefined,
): ApiserverProxyMutation {
  const leave = (skipped: SkipReason, why: string): ApiserverProxyMutation => ({
    object,
    skipped,
    warnings: [`apiserver-proxy: ${why}; admitted unchanged`],
  });

  const notOurs = notTheApiserverProxyConfigMap(object);
  if (notOurs) return leave('unrecognised', notOurs);
  const text = (object.data as Record<string, unknown>)[ENVOY_CONFIG_KEY] as string;
  const idProblem = technicalIdProblem(technicalId);
  if (idProblem || technicalId === undefined) return leave('unknown-shoot', idProblem ?? 'no shoot technical ID');

  const destination = destinationFor(settings, technicalId);
  const textEdit = editGardenerLayout(text, destination);
  const edit = textEdit ?? editEnvoyStructurally(text, destination);
  if ('unrecognised' in edit) return leave('unrecognised', edit.unrecognised);
  if (!fqdnBelongsToShoot(edit.host, technicalId)) {
    return leave('unknown-shoot', `the API server host in ${ENVOY_CONFIG_KEY} is not that of shoot ${technicalId}`);
  }
  if (edit.text === text) return { object, warnings: [] };
  return {
    object: { ...object, data: { ...(object.data as Record<string, unknown>), [ENVOY_CONFIG_KEY]: edit.text } },
    warnings: [],
    quoted: textEdit ? [textEdit] : [],
  };
}

/** Why the object is not Gardener's apiserver-proxy ConfigMap, or undefined when it is. */
function notTheApiserverProxyConfigMap(object: KubeObject): string | undefined {
  if (typeof object !== 'object' || object === null || object.kind !== 'ConfigMap') return 'the object is not a ConfigMap';
  const labels = object.metadata?.labels ?? {};
  if (REQUIRED_LABELS.some(([key, value]) => labels[key] !== value)) {
    return 'the ConfigMap lacks the labels app=kubernetes, role=apiserver-proxy';
  }
  const namespace = object.metadata?.namespace;
  if (namespace !== undefined && namespace !== 'kube-system') return 'the ConfigMap is not in kube-system';
  const data = object.data;
  if (typeof data !== 'object' || data === null || typeof (data as Record<string, unknown>)[ENVOY_CONFIG_KEY] !== 'string') {
    return `the ConfigMap has no data key ${ENVOY_CONFIG_KEY}`;
  }
  return undefined;
}
