// What a per-shoot webhook path carries after the webhook's own path: `/<technical-id>[/<target>]`. The
// register controller writes these paths into each shoot's webhook configuration; the server reads them back.
import type { PathParameter, RequestContext } from '../src/admission/webhook.js';
import type { MigrationSettings } from '../src/gardener/settings.js';
import { HOLD, parseShootTarget, type ShootTarget } from '../src/gardener/shoot-target.js';

/** A target segment that is no target is not found, so a misspelt hold can never fall back to the default target. */
export const SHOOT_PATH_PARAMETERS: readonly PathParameter[] = [
  { name: 'technicalId' },
  { name: 'target', accepts: (segment) => parseShootTarget(segment) !== undefined },
];

export interface ShootPath {
  technicalId?: string;
  /** Absent: the server's own --phase. */
  target?: ShootTarget;
}

export function shootPathOf(context: RequestContext): ShootPath {
  const parameters = context.pathParameters ?? {};
  const target = parameters.target === undefined ? undefined : parseShootTarget(parameters.target);
  return { technicalId: parameters.technicalId, target };
}

/** The settings a shoot's request is decided with: its target phase, or the server's. */
export function settingsForTarget(settings: MigrationSettings, target: Exclude<ShootTarget, typeof HOLD> | undefined): MigrationSettings {
  return target === undefined || target === settings.phase ? settings : { ...settings, phase: target };
}

/** The path parameters for a shoot's webhook configuration entries. */
export function shootPathParameters(technicalId: string | undefined, target: ShootTarget | undefined): Record<string, string> {
  if (technicalId === undefined) return {};
  return target === undefined ? { technicalId } : { technicalId, target };
}
