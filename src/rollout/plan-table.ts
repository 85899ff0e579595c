// The plan for people: one line per wave, then the first shoots of each group (`-o json` lists them all).
import type { Plan } from './plan.js';

const SHOWN = 10;

export function planTable(plan: Plan): string {
  const rows = [['WAVE', 'TARGET', 'STATE', 'SHOOTS'], ...plan.waves.map((w) => [w.name, w.target, w.state, String(w.shoots.length)])];
  rows.push(
    ['(held)', '-', '-', String(plan.held.length)],
    ['(unassigned)', 'default', '-', String(plan.unassigned.length)],
    ['(not counted)', '-', '-', String(plan.notCounted.length)],
  );
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const lines = rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  '));
  if (plan.halt) {
    lines.push(
      '',
      `HALTED at ${plan.halt.at}: ${plan.halt.shoot} ${plan.halt.managedResource} ${plan.halt.condition}=False (${plan.halt.reason || 'no reason given'})`,
    );
  }
  for (const w of plan.waves) {
    lines.push('', `${w.name} (${w.target}, ${w.state}${w.soakEndsAt ? `, soak ends ${w.soakEndsAt}` : ''}):`, ...listed(w.shoots));
  }
  for (const [title, shoots, withReason] of [
    ['held', plan.held, true],
    ['unassigned (default target)', plan.unassigned, false],
    ['not counted', plan.notCounted, true],
  ] as const) {
    if (shoots.length === 0) continue;
    lines.push('', `${title}:`, ...listed(shoots, withReason ? plan.reasons : undefined));
  }
  return `${lines.join('\n')}\n`;
}

function listed(shoots: readonly string[], reasons?: Readonly<Record<string, string>>): string[] {
  if (shoots.length === 0) return ['  (none)'];
  const shown = shoots.slice(0, SHOWN);
  const width = Math.max(...shown.map((id) => id.length));
  const lines = shown.map((id) => (reasons ? `  ${id.padEnd(width)}  ${reasons[id] ?? ''}` : `  ${id}`));
  if (shoots.length > SHOWN) lines.push(`  ... and ${shoots.length - SHOWN} more (-o json lists every shoot)`);
  return lines;
}
