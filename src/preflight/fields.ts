// Reading Envoy and Istio configuration the way protobuf's JSON mapping does: a field may be written
// in snake_case (as Gardener writes it) or lowerCamelCase, and both mean the same field.
import { isRecord } from '../util/is-record.js';

export type Json = Record<string, unknown>;

export function field(object: Json, snakeName: string): unknown {
  if (snakeName in object) return object[snakeName];
  const camelName = snakeName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return object[camelName];
}

export function objectField(object: Json, snakeName: string): Json | undefined {
  const value = field(object, snakeName);
  return isRecord(value) ? value : undefined;
}

export function listField(object: Json, snakeName: string): unknown[] {
  const value = field(object, snakeName);
  return Array.isArray(value) ? value : [];
}

export function stringField(object: Json, snakeName: string): string | undefined {
  const value = field(object, snakeName);
  return typeof value === 'string' ? value : undefined;
}
