// `--config FILE`: the same settings as the flags, as YAML keyed by the flags' camelCase names.
// Flags given on the command line win over the file; the file wins over defaults.
import type { CommandUnknownOpts, Option } from '@commander-js/extra-typings';
import { UsageError } from './errors.js';
import { readSingleObject } from '../util/input.js';

export function applyConfigFile(command: CommandUnknownOpts): void {
  const file = command.opts().config as string | undefined;
  if (!file) return;
  const values = readSingleObject(file);
  for (const [key, raw] of Object.entries(values)) {
    const option = command.options.find((o) => o.attributeName() === key || o.long === `--${key}`);
    if (!option || option.attributeName() === 'config') {
      throw new UsageError(`${file}: unknown setting ${JSON.stringify(key)} (settings are the flags of '${command.name()}' in camelCase)`);
    }
    const name = option.attributeName();
    if (command.getOptionValueSource(name) === 'cli') continue;
    command.setOptionValueWithSource(name, coerce(option, raw, file), 'config');
  }
}

function coerce(option: Option, raw: unknown, file: string): unknown {
  const where = `${file}: setting ${option.attributeName()}`;
  if (option.isBoolean()) {
    if (typeof raw !== 'boolean') throw new UsageError(`${where} must be true or false`);
    return raw;
  }
  const text = Array.isArray(raw) ? raw.map(String).join(',') : raw === null ? '' : String(raw);
  if (option.argChoices && !option.argChoices.includes(text)) {
    throw new UsageError(`${where} must be one of ${option.argChoices.join(', ')}, not ${JSON.stringify(text)}`);
  }
  if (option.parseArg) {
    try {
      return option.parseArg(text, undefined);
    } catch (err) {
      throw new UsageError(`${where}: ${(err as Error).message}`);
    }
  }
  return text;
}
