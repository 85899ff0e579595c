// Reading a large JSON List (`kubectl get shoots -A -o json`) one item at a time. JSON.parse of the whole
// text builds every item at once and grows the heap far beyond what the summaries need, and V8 keeps that
// heap; parsing item by item lets each one die young.

/** The text is not a JSON object whose `items` is an array: read it some other way. */
export class NotAJsonList extends Error {}

/**
 * Calls `onItem` with each element of the top-level `items` array, in order, and returns the object's
 * other fields. Throws NotAJsonList when the text is not such an object (before or after calling onItem).
 */
export function forEachJsonListItem(text: string, onItem: (item: unknown, index: number) => void): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  let pos = skipSpace(text, 0);
  expect(text, pos, '{');
  pos = skipSpace(text, pos + 1);
  let sawItems = false;
  if (text[pos] === '}') throw new NotAJsonList('no items');
  for (;;) {
    expect(text, pos, '"');
    const keyEnd = endOfString(text, pos);
    const key = JSON.parse(text.slice(pos, keyEnd)) as string;
    pos = skipSpace(text, keyEnd);
    expect(text, pos, ':');
    pos = skipSpace(text, pos + 1);
    if (key === 'items' && text[pos] === '[') {
      sawItems = true;
      pos = skipSpace(text, pos + 1);
      let index = 0;
      if (text[pos] === ']') pos++;
      else {
        for (;;) {
          const end = endOfValue(text, pos);
          onItem(parseSlice(text, pos, end), index++);
          pos = skipSpace(text, end);
          if (text[pos] === ',') pos = skipSpace(text, pos + 1);
          else if (text[pos] === ']') {
            pos++;
            break;
          } else throw new NotAJsonList(`unexpected character at offset ${pos}`);
        }
      }
    } else {
      const end = endOfValue(text, pos);
      rest[key] = parseSlice(text, pos, end);
      pos = end;
    }
    pos = skipSpace(text, pos);
    if (text[pos] === ',') pos = skipSpace(text, pos + 1);
    else if (text[pos] === '}') break;
    else throw new NotAJsonList(`unexpected character at offset ${pos}`);
  }
  if (skipSpace(text, pos + 1) !== text.length) throw new NotAJsonList('text after the object');
  if (!sawItems) throw new NotAJsonList('no items array');
  return rest;
}

function parseSlice(text: string, start: number, end: number): unknown {
  try {
    return JSON.parse(text.slice(start, end));
  } catch {
    throw new NotAJsonList(`invalid JSON at offset ${start}`);
  }
}

function expect(text: string, pos: number, char: string): void {
  if (text[pos] !== char) throw new NotAJsonList(`expected ${char} at offset ${pos}`);
}

function skipSpace(text: string, pos: number): number {
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    pos++;
  }
  return pos;
}

/** `pos` is at an opening quote; returns the index just after the closing one. */
function endOfString(text: string, pos: number): number {
  for (let i = pos + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  throw new NotAJsonList('unterminated string');
}

/** The index just after the value starting at `pos` (validated later by JSON.parse of the slice). */
function endOfValue(text: string, pos: number): number {
  const first = text[pos];
  if (first === '"') return endOfString(text, pos);
  if (first !== '{' && first !== '[') {
    let i = pos;
    while (i < text.length && !',}] \n\r\t'.includes(text[i]!)) i++;
    if (i === pos) throw new NotAJsonList(`missing value at offset ${pos}`);
    return i;
  }
  let depth = 0;
  for (let i = pos; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = endOfString(text, i) - 1;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return i + 1;
    }
  }
  throw new NotAJsonList('unterminated value');
}
