// Shortening client-supplied text before it is quoted in a message, a warning or a log line.

/** At most `max` characters, the cut marked with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
