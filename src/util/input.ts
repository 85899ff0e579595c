// Reading input files: a path or `-` for standard input; YAML (one or many documents) or JSON.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { isRecord } from '../util/is-record.js';
import { InputError } from './input-error.js';
import { SelfReference, expandedSize } from './yaml-aliases.js';

/**
 * Aliases may make a YAML text expand to at most this much more than twice its own length (counted as
 * characters written out): anchors that save repetition pass, an alias bomb is refused at once.
 */
const ALIAS_EXPANSION_SLACK = 1024 * 1024;

export function readText(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${file === '-' ? 'standard input' : file}: ${code ?? (err as Error).message}`);
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
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text).filter((doc) => doc !== null && doc !== undefined);
  } catch (err) {
    const mark = (err as { mark?: { line: number; column: number } }).mark;
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    throw new InputError(`${source} is not valid YAML or JSON${where}: ${(err as { reason?: string }).reason ?? 'parse error'}`);
  }
  // Without an anchor and an alias there is nothing to expand.
  if (text.includes('&') && text.includes('*')) refuseAliasBombs(documents, text.length, source);
  return documents;
}

function refuseAliasBombs(documents: unknown[], textLength: number, source: string): void {
  const limit = 2 * textLength + ALIAS_EXPANSION_SLACK;
  let total = 0;
  for (const document of documents) {
    try {
      total += expandedSize(document, limit - total);
    } catch (err) {
      if (err instanceof SelfReference) throw new InputError(`${source}: a YAML alias refers to a node that contains it; refused`);
      throw err;
    }
    if (total > limit) {
      throw new InputError(
        `${source}: YAML aliases would expand its ${textLength} characters to more than ${limit}; refused as an alias bomb`,
      );
    }
  }
}

export function readSingleObject(file: string): Record<string, unknown> {
  const docs = parseDocuments(readText(file), file === '-' ? 'standard input' : file);
  if (docs.length !== 1 || !isRecord(docs[0])) {
    throw new InputError(`${file === '-' ? 'standard input' : file} must hold exactly one object, found ${describeDocuments(docs)}`);
  }
  return docs[0];
}

/** What a file holds instead of one object, in a few words. */
function describeDocuments(docs: readonly unknown[]): string {
  if (docs.length === 0) return 'no document';
  if (docs.length > 1) return `${docs.length} documents`;
  const only = docs[0];
  if (Array.isArray(only)) return `a list (array) of ${only.length} item(s) instead`;
  return `a ${typeof only} instead`;
}
