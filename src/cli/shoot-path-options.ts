// --technical-id and --target for the offline commands: what the per-shoot webhook path would carry
// (`<path>/<technical-id>[/<target>]`), so `mutate` and `review` answer as that shoot's webhooks would.
import { Option } from '@commander-js/extra-typings';
import { PHASES } from '../gardener/settings.js';
import { HOLD, type ShootTarget } from '../gardener/shoot-target.js';
import { shootPathParameters } from '../../webhooks/shoot-path.js';
import { UsageError } from './errors.js';

const TARGETS: readonly ShootTarget[] = [...PHASES, HOLD];

export function targetOption(needs = '--technical-id') {
  return new Option(
    '--target <target>',
    `the shoot's own target in its webhook path, instead of --phase (${HOLD}: admitted unchanged); needs ${needs}`,
  ).choices(TARGETS);
}

/** The path parameters the per-shoot path would carry; a target comes only after the technical ID, as in the path. */
export function shootPathFrom(opts: { technicalId?: string; target?: ShootTarget }): Record<string, string> {
  if (opts.target !== undefined && opts.technicalId === undefined) {
    throw new UsageError('--target needs --technical-id: the webhook path carries the target after the technical ID');
  }
  return shootPathParameters(opts.technicalId, opts.target);
}
