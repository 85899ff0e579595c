// `validate`: the gardenlet-config webhook's decision on a file, offline, with the full list of
// blocking shoots. The same decision code as the webhook; a file is judged as a CREATE.
import { Command, Option } from '@commander-js/extra-typings';
import { DEFAULT_SETTINGS } from '../../gardener/settings.js';
import { denialMessage, releaseClause } from '../../../webhooks/gardenlet-config/message.js';
import { decisionInputs } from '../../../webhooks/gardenlet-config/registration.js';
import { decide, type Decision, type GateBlockers } from '../../../webhooks/gardenlet-config/validate.js';
import { UsageError, exitWithVerdict } from '../errors.js';
import { gardenerVersionOption } from '../gardener-version-option.js';
import { addShootSourceOptions, openCliShootSource } from '../shoot-source-options.js';
import { readSingleObject } from '../../util/input.js';

export function validateCommand() {
  return addShootSourceOptions(
    new Command('validate')
      .description(
        'check a gardenlet configuration (ConfigMap, ManagedSeed, Gardenlet or GardenletConfiguration) as the gardenlet-config webhook would; exit 0 admitted, 1 rejected, 2 bad input',
      )
      .requiredOption('-f, --file <file>', 'the object as YAML or JSON (- for standard input)'),
  )
    .addOption(gardenerVersionOption())
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ http-proxy-migrator validate -f examples/gardenlet-configmap.yaml --shoots examples/shoots.yaml\n' +
        '  $ http-proxy-migrator validate -f managedseed.yaml --garden-kubeconfig garden.kubeconfig -o json\n' +
        '  $ http-proxy-migrator validate -f examples/gardenlet-configmap.yaml --shoots examples/shoots.yaml --seeds examples/seeds.yaml --gardener-version v1.149.0\n',
    )
    .action(async (opts) => {
      const object = readSingleObject(opts.file);
      const source = await openCliShootSource(opts);
      const decision = decide(
        { operation: 'CREATE', object },
        decisionInputs({ services: source.services, settings: { ...DEFAULT_SETTINGS, gardenerVersion: opts.gardenerVersion } }),
      );
      source.stop();
      switch (decision.outcome) {
        case 'invalid':
          throw new UsageError(`${opts.file}: ${decision.reason}`);
        case 'unavailable':
          throw new UsageError(
            `${opts.file} turns a gate on for seed ${decision.seed} (${releaseClause(decision.release)}): give --shoots FILE or --garden-kubeconfig FILE to check it`,
          );
        case 'admit':
          if (decision.notApplicable) {
            throw new UsageError(
              `${opts.file}: ${decision.notApplicable}; expected a gardenlet ConfigMap, ManagedSeed, Gardenlet or GardenletConfiguration`,
            );
          }
      }
      console.log(opts.output === 'json' ? JSON.stringify(asJson(decision), null, 2) : asText(decision));
      exitWithVerdict(decision.outcome !== 'deny');
    });
}

type Judged = Extract<Decision, { outcome: 'admit' | 'deny' }>;

function asJson(decision: Judged): Record<string, unknown> {
  const denied = decision.outcome === 'deny' ? decision : undefined;
  return {
    allowed: decision.outcome === 'admit',
    seed: decision.seed,
    release: { version: decision.release?.version ?? null, source: decision.release?.source ?? null },
    ...(denied ? { message: denialMessage(denied.seed, denied.blocking, denied.release, denied.refusals) } : {}),
    refusals: denied?.refusals ?? [],
    blocking: (denied?.blocking ?? []).map(({ gate, constraint, shoots, reasons }: GateBlockers) => ({
      gate,
      constraint,
      shoots,
      reasons,
    })),
    warnings: decision.warnings,
  };
}

function asText(decision: Judged): string {
  const lines: string[] = [];
  if (decision.outcome === 'admit') {
    lines.push(`admitted: ${decision.carrier ?? 'configuration'}${decision.seed ? ` for seed ${decision.seed}` : ''}`);
  } else {
    lines.push(`rejected: ${denialMessage(decision.seed, decision.blocking, decision.release, decision.refusals)}`);
  }
  if (decision.release)
    lines.push(
      `release: ${decision.release.version ? `gardenlet ${decision.release.version}, from ${decision.release.source}` : `unknown, validation not release-aware (${decision.release.source})`}`,
    );
  if (decision.outcome === 'deny') {
    for (const refusal of decision.refusals) lines.push(`gardenlet would not start: ${refusal}`);
    for (const b of decision.blocking) {
      lines.push(
        '',
        `${b.gate} needs constraint ${b.constraint} with status True; ${b.shoots.length} shoot(s) of seed ${decision.seed} block it:`,
      );
      for (const group of b.reasons) {
        lines.push(`  ${group.reason}: ${group.count} - ${group.remedy}`);
        for (const s of group.shoots) lines.push(`    ${s.shoot}${s.detail ? `  ${s.detail}` : ''}`);
        if (group.count > group.shoots.length) lines.push(`    ... and ${group.count - group.shoots.length} more`);
      }
      // Every blocker, when the reasons above did not name them all.
      if (b.reasons.some((group) => group.count > group.shoots.length)) {
        lines.push(`  all of them:`);
        for (const shoot of b.shoots) lines.push(`    ${shoot}`);
      }
    }
  }
  for (const warning of decision.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}
