// Reading a large JSON List (`kubectl get shoots -A -o json`) one item at a time, from a string or a file
// in chunks. JSON.parse of the whole text builds every item at once and grows the heap far beyond what
// the summaries need, and V8 keeps that heap; item by item, each one dies young and the file is never
// in memory whole.
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** The text is not a JSON object whose `items` is an array: read it some other way. */
export class NotAJsonList extends Error {}

type OnItem = (item: unknown, index: number) => void;

const enum State {
  BeforeObject,
  BeforeKey,
  Key,
  Colon,
  ItemsOpen,
  Value,
  ItemStart,
  Item,
  AfterValue,
  Done,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** A push scanner over the text of one JSON object: members other than `items` are kept, items handed out. */
class ListScanner {
  readonly rest: Record<string, unknown> = {};
  private state = State.BeforeObject;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private key = '';
  private sawItems = false;
  private index = 0;
  /** The text of the token being read: pieces of earlier chunks, and where it starts in this one (-1: none). */
  private pieces: string[] = [];
  private start = -1;

  constructor(private readonly onItem: OnItem) {}

  push(chunk: string): void {
    for (let i = 0; i < chunk.length; i++) i = this.step(chunk, i);
    if (this.start >= 0) {
      this.pieces.push(chunk.slice(this.start));
      this.start = 0;
    }
  }

  end(): Record<string, unknown> {
    if (this.state !== State.Done) throw new NotAJsonList('the object does not end');
    if (!this.sawItems) throw new NotAJsonList('no items array');
    return this.rest;
  }

  /** Handles the character at i; returns the index it has consumed up to (it may re-read i in a new state). */
  private step(chunk: string, i: number): number {
    const c = chunk.charCodeAt(i);
    switch (this.state) {
      case State.BeforeObject:
        if (isSpace(c)) return i;
        if (c !== 0x7b) throw new NotAJsonList('not a JSON object');
        this.depth = 1;
        this.state = State.BeforeKey;
        return i;
      case State.BeforeKey:
        if (isSpace(c)) return i;
        if (c !== QUOTE) throw new NotAJsonList(`expected a member name, found ${JSON.stringify(chunk[i])}`);
        this.begin(i);
        this.inString = true;
        this.state = State.Key;
        return i;
      case State.Key:
        if (this.stringEnds(c)) {
          this.key = this.parse(this.take(chunk, i + 1)) as string;
          this.state = State.Colon;
        }
        return i;
      case State.Colon:
        if (isSpace(c)) return i;
        if (c !== 0x3a) throw new NotAJsonList('expected a colon');
        this.state = this.key === 'items' ? State.ItemsOpen : State.Value;
        if (this.state === State.Value) this.begin(-1);
        return i;
      case State.ItemsOpen:
        if (isSpace(c)) return i;
        if (c !== 0x5b) throw new NotAJsonList('items is not an array');
        this.sawItems = true;
        this.depth = 2;
        this.state = State.ItemStart;
        return i;
      case State.ItemStart:
        if (isSpace(c)) return i;
        if (c === 0x5d && this.index === 0) {
          this.depth = 1;
          this.state = State.AfterValue;
          return i;
        }
        this.begin(i);
        this.state = State.Item;
        return i - 1;
      case State.Item:
        if (this.inValueString(c)) return i;
        if (this.depth === 2 && (c === 0x2c || c === 0x5d)) {
          this.onItem(this.parse(this.take(chunk, i)), this.index++);
          if (c === 0x2c) this.state = State.ItemStart;
          else {
            this.depth = 1;
            this.state = State.AfterValue;
          }
          return i;
        }
        this.nest(c);
        return i;
      case State.Value:
        if (this.start < 0 && this.pieces.length === 0) {
          if (isSpace(c)) return i;
          this.begin(i);
        }
        if (this.inValueString(c)) return i;
        if (this.depth === 1 && (c === 0x2c || c === 0x7d)) {
          this.rest[this.key] = this.parse(this.take(chunk, i));
          this.state = State.AfterValue;
          return i - 1;
        }
        this.nest(c);
        return i;
      case State.AfterValue:
        if (isSpace(c)) return i;
        if (c === 0x2c) this.state = State.BeforeKey;
        else if (c === 0x7d) {
          this.depth = 0;
          this.state = State.Done;
        } else throw new NotAJsonList(`unexpected ${JSON.stringify(chunk[i])} after a member`);
        return i;
      case State.Done:
        if (!isSpace(c)) throw new NotAJsonList('text after the object');
        return i;
    }
  }

  /** Inside a key string: whether this character closes it. */
  private stringEnds(c: number): boolean {
    if (this.escaped) this.escaped = false;
    else if (c === BACKSLASH) this.escaped = true;
    else if (c === QUOTE) {
      this.inString = false;
      return true;
    }
    return false;
  }

  /** Tracks strings inside a value; true while the character belongs to a string. */
  private inValueString(c: number): boolean {
    if (this.inString) {
      this.stringEnds(c);
      return true;
    }
    if (c === QUOTE) {
      this.inString = true;
      return true;
    }
    return false;
  }

  private nest(c: number): void {
    if (c === 0x7b || c === 0x5b) this.depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--this.depth < 1) throw new NotAJsonList('unbalanced brackets');
    }
  }

  private begin(i: number): void {
    this.pieces = [];
    this.start = i;
  }

  private take(chunk: string, end: number): string {
    const text = this.pieces.join('') + chunk.slice(Math.max(this.start, 0), end);
    this.pieces = [];
    this.start = -1;
    return text;
  }

  private parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new NotAJsonList('a member is not valid JSON');
    }
  }
}

/**
 * Calls `onItem` with each element of the top-level `items` array, in order, and returns the object's
 * other fields. Throws NotAJsonList when the text is not such an object (before or after calling onItem).
 */
export function forEachJsonListItem(text: string, onItem: OnItem): Record<string, unknown> {
  const scanner = new ListScanner(onItem);
  scanner.push(text);
  return scanner.end();
}

/** The same, reading the file in chunks, so that it is never in memory whole. */
export function forEachJsonListItemInFile(file: string, onItem: OnItem, chunkBytes = 1 << 16): Record<string, unknown> {
  const scanner = new ListScanner(onItem);
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(chunkBytes);
  const fd = openSync(file, 'r');
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, chunkBytes, null);
      if (read === 0) break;
      scanner.push(decoder.write(buffer.subarray(0, read)));
    }
    scanner.push(decoder.end());
  } finally {
    closeSync(fd);
  }
  return scanner.end();
}
