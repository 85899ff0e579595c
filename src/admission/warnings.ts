// The apiserver advises warnings of at most 120 characters and truncates long lists; keep them short.
export const MAX_WARNING_LENGTH = 120;

function fitWarning(warning: string): string {
  const oneLine = warning.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_WARNING_LENGTH ? oneLine : `${oneLine.slice(0, MAX_WARNING_LENGTH - 3)}...`;
}

export function fitWarnings(warnings: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const w of warnings) if (w) seen.add(fitWarning(w));
  return [...seen];
}
