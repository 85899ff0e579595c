// Item-by-item reading must give exactly what JSON.parse gives, and refuse what is not a JSON List.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachJsonListItem, forEachJsonListItemInFile, NotAJsonList } from '../../src/gardener/json-list-items.js';

function read(text: string): { rest: Record<string, unknown>; items: unknown[] } {
  const items: unknown[] = [];
  const rest = forEachJsonListItem(text, (item, i) => {
    expect(i).toBe(items.length);
    items.push(item);
  });
  return { rest, items };
}

const scratch = mkdtempSync(join(tmpdir(), 'json-list-'));

/** The same text through the file reader, in chunks of the given size. */
function readInChunks(text: string, chunkBytes: number): { rest: Record<string, unknown>; items: unknown[] } {
  const file = join(scratch, 'chunked.json');
  writeFileSync(file, text);
  const items: unknown[] = [];
  const rest = forEachJsonListItemInFile(file, (item) => items.push(item), chunkBytes);
  return { rest, items };
}

describe('forEachJsonListItem', () => {
  it('yields the items and the other fields exactly as JSON.parse reads them, however the text is laid out', () => {
    const key = fc.string({ maxLength: 6 }).filter((k) => k !== 'items' && k !== '__proto__');
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 8 }),
        fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (items, rest, indent, itemsFirst) => {
          const object = itemsFirst ? { items, ...rest } : { ...rest, items };
          const text = `${' '.repeat(indent)}${JSON.stringify(object, null, indent)}\n`;
          const expected = JSON.parse(text) as { items: unknown[] };
          const got = read(text);
          expect(got.items).toEqual(expected.items);
          const { items: _items, ...others } = expected;
          expect(got.rest).toEqual(others);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses what JSON.parse refuses and reads what it reads, for a List text with one character changed', () => {
    // Member names from letters outside "items", so that no single change makes a second items member.
    const key = fc.string({ unit: fc.constantFrom('a', 'b', 'K', 'é', '"', '\\', ' ', '{', '['), maxLength: 4 });
    const list = fc.record({
      items: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }),
      rest: fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      indent: fc.integer({ min: 0, max: 2 }),
    });
    const change = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('insert', 'delete', 'replace'),
      char: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '\u0001', 'x', '1', '-', 'e', '.'),
    });
    fc.assert(
      fc.property(list, change, fc.integer({ min: 1, max: 16 }), ({ items, rest, indent }, { at, kind, char }, chunkBytes) => {
        const valid = JSON.stringify({ ...rest, items }, null, indent);
        const i = at % (valid.length + 1);
        const text =
          kind === 'insert'
            ? valid.slice(0, i) + char + valid.slice(i)
            : valid.slice(0, i) + (kind === 'replace' ? char : '') + valid.slice(i + 1);
        let expected: { items: unknown[] } | undefined;
        try {
          const parsed: unknown = JSON.parse(text);
          if (
            typeof parsed === 'object' &&
            parsed !== null &&
            !Array.isArray(parsed) &&
            Array.isArray((parsed as { items?: unknown }).items)
          )
            expected = parsed as { items: unknown[] };
        } catch {
          expected = undefined;
        }
        for (const readText of [read, (t: string) => readInChunks(t, chunkBytes)]) {
          if (expected === undefined) {
            expect(() => readText(text)).toThrow(NotAJsonList);
          } else {
            const got = readText(text);
            const { items: expectedItems, ...others } = expected;
            expect(got.items).toEqual(expectedItems);
            expect(got.rest).toEqual(others);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['an array', '[1,2]'],
    ['an object without items', '{"kind":"List"}'],
    ['items that are not an array', '{"items":{"a":1}}'],
    ['a broken item', '{"items":[{"a":1},{"b":]}'],
    ['a missing comma', '{"items":[1 2]}'],
    ['text after the object', '{"items":[]} x'],
    ['an unterminated string', '{"items":["abc]}'],
    ['an empty object', '{}'],
  ])('refuses %s', (_name, text) => {
    expect(() => read(text)).toThrow(NotAJsonList);
  });

  it('handles strings holding brackets, quotes and escapes', () => {
    const items = [{ a: 'x]}{["\\"' }, 'a\\"b', ['[', ']'], null, 1.5e3, true];
    expect(read(JSON.stringify({ kind: 'List', items })).items).toEqual(items);
  });
});

describe('forEachJsonListItemInFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'json-list-'));

  it('reads a file in chunks of any size, multi-byte characters split across them included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 }),
        (items, chunkBytes, indent) => {
          const file = join(dir, 'list.json');
          writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: 'ü' } }, null, indent));
          const got: unknown[] = [];
          const rest = forEachJsonListItemInFile(file, (item) => got.push(item), chunkBytes);
          expect(got).toEqual(JSON.parse(JSON.stringify(items)));
          expect(rest).toEqual({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: 'ü' } });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a YAML file at its first character', () => {
    const file = join(dir, 'list.yaml');
    writeFileSync(file, 'kind: List\nitems: []\n');
    let called = 0;
    expect(() => forEachJsonListItemInFile(file, () => called++, 4)).toThrow(NotAJsonList);
    expect(called).toBe(0);
  });
});
