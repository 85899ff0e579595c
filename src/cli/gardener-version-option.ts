// --gardener-version for validate, review and serve: the gardenlet release assumed for a gardenlet
// configuration that names none itself and whose seed's release is not known. A version that cannot be
// read is bad input (exit 2), never silently ignored.
import { InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { parseRelease } from '../gardener/releases.js';

export function gardenerVersionOption() {
  return new Option(
    '--gardener-version <version>',
    'gardenlet release (e.g. v1.149.0) to judge gardenlet configuration by where neither the object nor its seed names one',
  ).argParser((value: string) => {
    const parsed = parseRelease(value);
    if (!parsed.ok) throw new InvalidArgumentError(parsed.reason);
    return parsed.release.version;
  });
}

export function seedsFileOption() {
  return new Option('--seeds <file>', "seed snapshot (kubectl get seeds -o yaml), for each seed's gardenlet release; with --shoots");
}
