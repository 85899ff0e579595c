// Where the CLI's gardenlet commands read shoots from, as flags shared by validate and audit.
import type { Command, OptionValues } from '@commander-js/extra-typings';
import { openShootSource, type ShootSource } from '../gardener/shoot-source.js';
import { createLogger } from '../observability/logger.js';
import { seedsFileOption } from './gardener-version-option.js';
import { loadSeedFile } from './seed-file.js';

export function addShootSourceOptions<Args extends unknown[], Opts extends OptionValues, Global extends OptionValues>(
  command: Command<Args, Opts, Global>,
) {
  return command
    .option('--shoots <file>', 'shoot snapshot (YAML documents, a List, or JSON)')
    .addOption(seedsFileOption())
    .option(
      '--garden-kubeconfig <file>',
      'kubeconfig of the garden cluster, to list shoots and seeds (default: in-cluster config when running in a pod)',
    );
}

/** The shoots (and seeds) those flags name, listed once (a CLI decides on one snapshot; it does not watch). */
export function openCliShootSource(opts: { shoots?: string; seeds?: string; gardenKubeconfig?: string }): Promise<ShootSource> {
  return openShootSource({
    shootsFile: opts.shoots,
    seeds: opts.seeds === undefined ? undefined : loadSeedFile(opts.seeds),
    gardenKubeconfig: opts.gardenKubeconfig,
    inCluster: true,
    watch: false,
    logger: createLogger('silent'),
  });
}
