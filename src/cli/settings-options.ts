// The migration settings as CLI flags, shared by serve, review and mutate, and settable in --config.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_SETTINGS, PHASES, parseDestinationHeaders, type MigrationSettings, type Phase } from '../config/settings.js';

export function addSettingsOptions(command: Command): Command {
  return command
    .addOption(new Option('--phase <phase>', 'GEP-30 phase to migrate shoots into').choices(PHASES).default(DEFAULT_SETTINGS.phase))
    .option(
      '--destination-header <keys>',
      'destination header key(s), comma separated, sent in that order (default: Reversed-VPN for tls-tunnel, X-Gardener-Destination for unified)',
      parseHeaders,
    )
    .option('--istio-tls-termination', 'the seed terminates TLS in Istio: destination <technical-id>--kube-apiserver-socket', false)
    .option('--assume-vpn-client-compatible', 'treat vpn-client images of unreadable version as >= 0.42.0', false);
}

export function settingsFrom(opts: Record<string, unknown>): MigrationSettings {
  return {
    phase: opts.phase as Phase,
    destinationHeaders: opts.destinationHeader as string[] | undefined,
    istioTlsTermination: Boolean(opts.istioTlsTermination),
    assumeVpnClientCompatible: Boolean(opts.assumeVpnClientCompatible),
    gardenerVersion: opts.gardenerVersion as string | undefined,
  };
}

function parseHeaders(value: string): string[] {
  try {
    return parseDestinationHeaders(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}
