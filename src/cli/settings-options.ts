// The migration settings as CLI flags, shared by serve, review and mutate, and settable in --config.
import { InvalidArgumentError, Option, type Command, type OptionValues } from '@commander-js/extra-typings';
import { DEFAULT_SETTINGS, PHASES, parseDestinationHeaders, type MigrationSettings, type Phase } from '../gardener/settings.js';

export function addSettingsOptions<Args extends unknown[], Opts extends OptionValues, Global extends OptionValues>(
  command: Command<Args, Opts, Global>,
) {
  return command
    .addOption(
      new Option('--phase <phase>', 'GEP-30 phase to move shoots forward to; shoots at or past it are left as they are')
        .choices(PHASES)
        .default(DEFAULT_SETTINGS.phase),
    )
    .option(
      '--destination-header <keys>',
      'header key(s), comma separated, a legacy apiserver-proxy sends once moved onto the tls-tunnel port (default: Reversed-VPN); never used for unified',
      parseHeaders,
    )
    .option(
      '--istio-tls-termination',
      'a legacy apiserver-proxy, once moved, sends <technical-id>--kube-apiserver-socket; existing values are always kept',
      false,
    )
    .option('--assume-vpn-client-compatible', 'treat vpn-client images of unreadable version as >= 0.42.0', false);
}

/** The settings flags as commander parsed them; --gardener-version where the command takes it. */
export interface SettingsFlags {
  phase: Phase;
  destinationHeader?: string[];
  istioTlsTermination: boolean;
  assumeVpnClientCompatible: boolean;
  gardenerVersion?: string;
}

export function settingsFrom(opts: SettingsFlags): MigrationSettings {
  if (opts.phase === 'unified' && opts.destinationHeader !== undefined) {
    // Kept working rather than refused: a configuration written before forward-only must still start.
    process.stderr.write(
      'warning: --destination-header applies only to legacy renderings moved onto the tls-tunnel port; with --phase unified it has no effect\n',
    );
  }
  return {
    phase: opts.phase,
    destinationHeaders: opts.destinationHeader,
    istioTlsTermination: opts.istioTlsTermination,
    assumeVpnClientCompatible: opts.assumeVpnClientCompatible,
    gardenerVersion: opts.gardenerVersion,
  };
}

function parseHeaders(value: string): string[] {
  try {
    return parseDestinationHeaders(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}
