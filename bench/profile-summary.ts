// Where a CPU profile's time went: self time by function, from a .cpuprofile (--cpu-prof) file.
//   node dist/bench/profile-summary.js <file.cpuprofile> [how many]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface FunctionTime {
  selfMs: number;
  percent: number;
  name: string;
  location: string;
}

/**
 * Only samples taken inside `window` count when it is given: microseconds on the monotonic clock,
 * which V8's profile timestamps and process.hrtime share, so start-up can be left out.
 */
export function selfTimeByFunction(
  file: string,
  top = 20,
  window?: { fromUs: number; toUs: number },
): { totalMs: number; functions: FunctionTime[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, FunctionTime>();
  let totalUs = 0;
  let at = profile.startTime;
  // A sample's time is the gap to the next sample, attributed to the function on top of the stack.
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const deltaUs = profile.timeDeltas[i + 1] ?? 0;
    const node = nodeById.get(profile.samples[i]!);
    if (!node || deltaUs <= 0) continue;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    totalUs += deltaUs;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const location = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const key = `${name}\0${location}`;
    const entry = byFunction.get(key) ?? { selfMs: 0, percent: 0, name, location };
    entry.selfMs += deltaUs / 1000;
    byFunction.set(key, entry);
  }
  const functions = [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
  for (const f of functions) f.percent = totalUs > 0 ? (100 * f.selfMs * 1000) / totalUs : 0;
  return { totalMs: totalUs / 1000, functions };
}

/** node_modules/<package>/… and dist/… rather than absolute file URLs. */
function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + 1);
  const dist = path.lastIndexOf('/dist/');
  return dist >= 0 ? path.slice(dist + 1) : path;
}

export function formatSelfTime(summary: { totalMs: number; functions: FunctionTime[] }): string {
  const lines = [`  self ms    self %  function (location)   [${summary.totalMs.toFixed(0)} ms sampled]`];
  for (const f of summary.functions) {
    lines.push(
      `  ${f.selfMs.toFixed(1).padStart(8)}  ${f.percent.toFixed(1).padStart(6)}%  ${f.name}${f.location ? ` (${f.location})` : ''}`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: profile-summary.js <file.cpuprofile> [how many]\n');
    process.exit(2);
  }
  console.log(formatSelfTime(selfTimeByFunction(file, top ? Number(top) : 20)));
}
