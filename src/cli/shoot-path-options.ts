// --technical-id and --target for the offline commands: what the per-shoot webhook path would carry
// (`<path>/<technical-id>[/<target>]`), so `mutate` and `review` answer as that shoot's webhooks would.
import { Option } from 'commander';
import { PHASES } from '../gardener/settings.js';
import { HOLD, parseShootTarget } from '../gardener/shoot-target.js';
import { shootPathParameters } from '../../webhooks/shoot-path.js';
import { UsageError } from './errors.js';

export function targetOption(needs = '--technical-id'): Option {
  return new Option('--target <target>', `the shoot's own target in its webhook path, instead of --phase (${HOLD}: admitted unchanged); needs ${needs}`).choices([
    ...PHASES,
    HOLD,
  ]);
}

/** The path parameters the per-shoot path would carry; a target comes only after the technical ID, as in the path. */
export function shootPathFrom(opts: Record<string, unknown>): Record<string, string> {
  const technicalId = opts.technicalId as string | undefined;
  const target = opts.target === undefined ? undefined : parseShootTarget(opts.target as string);
  if (target !== undefined && technicalId === undefined) {
    throw new UsageError('--target needs --technical-id: the webhook path carries the target after the technical ID');
  }
  return shootPathParameters(technicalId, target);
}
