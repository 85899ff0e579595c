// `audit`: per seed and removal gate, the shoots that have migrated, those that would block the gate
// and those gardenlet's check passes over, so an operator knows what to fix before turning a gate on.
import { Command, Option } from 'commander';
import { auditSeeds, type SeedAudit } from '../../gardener/audit.js';
import { UsageError } from '../errors.js';
import { addShootSourceOptions, openCliShootSource } from '../shoot-source-options.js';

interface AuditOptions {
  seed?: string;
  shoots?: string;
  gardenKubeconfig?: string;
  output: 'table' | 'json';
}

export function auditCommand(): Command {
  return addShootSourceOptions(
    new Command('audit')
      .description('report, per seed and legacy-port removal gate, which shoots have migrated, which block the gate and which are skipped')
      .option('--seed <name>', 'only this seed')
  )
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ http-proxy-migrator audit --shoots shoots.yaml\n  $ http-proxy-migrator audit --garden-kubeconfig garden.kubeconfig --seed aws-eu1 -o json\n',
    )
    .action(async (opts: AuditOptions) => {
      const source = await openCliShootSource(opts);
      const shoots = source.services.shoots;
      source.stop();
      if (!shoots) throw new UsageError('audit needs shoots: give --shoots FILE or --garden-kubeconfig FILE');
      const report = auditSeeds(shoots, opts.seed);
      console.log(opts.output === 'json' ? JSON.stringify({ seeds: report }, null, 2) : asTable(report, opts.seed));
    });
}

function asTable(report: SeedAudit[], seed: string | undefined): string {
  if (report.length === 0 || report.every((s) => s.gates.every((g) => g.migrated.length + g.blocking.length + g.skipped.length === 0))) {
    return seed ? `no shoots on seed ${seed}` : 'no shoots';
  }
  const rows = [['SEED', 'GATE', 'CONSTRAINT', 'MIGRATED', 'BLOCKING', 'SKIPPED']];
  for (const s of report) {
    for (const g of s.gates) rows.push([s.seed, g.gate, g.constraint, String(g.migrated.length), String(g.blocking.length), String(g.skipped.length)]);
  }
  const lines = [...columns(rows)];
  for (const s of report) {
    for (const g of s.gates) {
      if (g.blocking.length === 0) continue;
      lines.push('', `${s.seed}: ${g.gate} is blocked by ${g.blocking.length} shoot(s) (${g.constraint} not True):`);
      lines.push(...columns(g.blocking.map((b) => [`  ${b.shoot}`, b.status])));
    }
    // The skipped shoots are the same for every gate.
    const skipped = s.gates[0]?.skipped ?? [];
    if (skipped.length > 0) {
      lines.push('', `${s.seed}: skipped by gardenlet's check:`);
      lines.push(...columns(skipped.map((k) => [`  ${k.shoot}`, k.reason])));
    }
  }
  return lines.join('\n');
}

function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}
