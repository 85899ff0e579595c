// Reading the CLI's input files: a path or `-` for standard input; YAML (one or many documents) or JSON.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { UsageError } from './errors.js';

export function readText(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file === '-' ? 'standard input' : file}: ${code ?? (err as Error).message}`);
  }
}

/** Every document in a YAML or JSON text, empty documents skipped. */
export function parseDocuments(text: string, source: string): unknown[] {
  // JSON is YAML, but JSON.parse reads a large snapshot (`kubectl get -o json`) several times faster and
  // in far less memory; anything it refuses is read as YAML, which also gives the better error.
  const first = /\S/.exec(text)?.[0];
  if (first === '{' || first === '[') {
    try {
      return [JSON.parse(text) as unknown];
    } catch {
      // not JSON after all
    }
  }
  try {
    return yaml.loadAll(text).filter((doc) => doc !== null && doc !== undefined);
  } catch (err) {
    const mark = (err as { mark?: { line: number; column: number } }).mark;
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    throw new UsageError(`${source} is not valid YAML or JSON${where}: ${(err as { reason?: string }).reason ?? 'parse error'}`);
  }
}

export function readSingleObject(file: string): Record<string, unknown> {
  const docs = parseDocuments(readText(file), file);
  if (docs.length !== 1 || typeof docs[0] !== 'object' || Array.isArray(docs[0])) {
    throw new UsageError(`${file} must hold exactly one object, found ${docs.length} document(s)`);
  }
  return docs[0] as Record<string, unknown>;
}
