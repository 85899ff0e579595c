// `audit`: per seed and removal gate, the shoots that have migrated, those that would block the gate
// and those gardenlet's check passes over, so an operator knows what to fix before turning a gate on.
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { auditSeeds, type SeedAudit } from '../../gardener/audit.js';
import { UsageError } from '../errors.js';
import { addShootSourceOptions, openCliShootSource } from '../shoot-source-options.js';

export function auditCommand() {
  return addShootSourceOptions(
    new Command('audit')
      .description(
        'report, per seed and legacy-port removal gate, how many shoots have migrated, why the others block the gate (with the remedy) and which are skipped',
      )
      .option('--seed <name>', 'only this seed')
      .option('--per-reason <n>', 'shoots named per reason', parseCount, 5),
  )
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ http-proxy-migrator audit --shoots shoots.yaml --seeds seeds.yaml\n  $ http-proxy-migrator audit --garden-kubeconfig garden.kubeconfig --seed aws-eu1 -o json\n',
    )
    .action(async (opts) => {
      const source = await openCliShootSource(opts);
      const { shoots, seeds } = source.services;
      source.stop();
      if (!shoots) throw new UsageError('audit needs shoots: give --shoots FILE or --garden-kubeconfig FILE');
      const report = auditSeeds(shoots, opts.seed, { seeds, perReason: opts.perReason });
      console.log(opts.output === 'json' ? JSON.stringify({ seeds: report }, null, 2) : asTable(report, opts.seed));
    });
}

function asTable(report: SeedAudit[], seed: string | undefined): string {
  if (report.length === 0 || report.every((s) => s.gates.every((g) => g.migrated + g.blocking + g.skipped === 0))) {
    return seed ? `no shoots on seed ${seed}` : 'no shoots';
  }
  const withRelease = report.some((s) => s.gardenletVersion !== undefined);
  const rows = [['SEED', ...(withRelease ? ['GARDENLET'] : []), 'GATE', 'CONSTRAINT', 'MIGRATED', 'BLOCKING', 'SKIPPED']];
  for (const s of report) {
    for (const g of s.gates) {
      rows.push([
        s.seed,
        ...(withRelease ? [s.gardenletVersion ?? '-'] : []),
        g.gate,
        g.constraint,
        String(g.migrated),
        String(g.blocking),
        String(g.skipped),
      ]);
    }
  }
  const lines = [...columns(rows)];
  for (const s of report) {
    for (const g of s.gates) {
      if (g.blocking === 0) continue;
      lines.push('', `${s.seed}: ${g.gate} is blocked by ${g.blocking} shoot(s) (${g.constraint} not True):`);
      for (const group of g.reasons) {
        lines.push(`  ${group.reason}: ${group.count} - ${group.remedy}`);
        lines.push(...columns(group.shoots.map((b) => [`    ${b.shoot}`, b.detail ?? ''])).map((l) => l.trimEnd()));
        if (group.count > group.shoots.length) lines.push(`    ... and ${group.count - group.shoots.length} more`);
      }
    }
    if (s.skipped.length > 0) {
      lines.push('', `${s.seed}: skipped by gardenlet's check:`);
      for (const group of s.skipped) {
        lines.push(`  ${group.reason}: ${group.count}`);
        lines.push(...group.shoots.map((k) => `    ${k}`));
        if (group.count > group.shoots.length) lines.push(`    ... and ${group.count - group.shoots.length} more`);
      }
    }
  }
  return lines.join('\n');
}

function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}
