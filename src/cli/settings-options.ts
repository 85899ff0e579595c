// The migration settings as CLI flags, shared by serve, review and mutate, and settable in --config.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_SETTINGS, PHASES, parseDestinationHeaders, type MigrationSettings, type Phase } from '../gardener/settings.js';

export function addSettingsOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--phase <phase>', 'GEP-30 phase to move shoots forward to; shoots at or past it are left as they are').choices(PHASES).default(DEFAULT_SETTINGS.phase),
    )
    .option(
      '--destination-header <keys>',
      'header key(s), comma separated, a legacy apiserver-proxy sends once moved onto the tls-tunnel port (default: Reversed-VPN); never used for unified',
      parseHeaders,
    )
    .option('--istio-tls-termination', 'a legacy apiserver-proxy, once moved, sends <technical-id>--kube-apiserver-socket; existing values are always kept', false)
    .option('--assume-vpn-client-compatible', 'treat vpn-client images of unreadable version as >= 0.42.0', false);
}

export function settingsFrom(opts: Record<string, unknown>): MigrationSettings {
  if (opts.phase === 'unified' && opts.destinationHeader !== undefined) {
    // Kept working rather than refused: a configuration written before forward-only must still start.
    process.stderr.write('warning: --destination-header applies only to legacy renderings moved onto the tls-tunnel port; with --phase unified it has no effect\n');
  }
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
