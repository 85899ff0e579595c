// The one guard for "a JSON or YAML object": parsed input arrives as unknown, and arrays and null are objects too.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
