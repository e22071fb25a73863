/**
 * Reading an answer's JSON without silently changing it. `JSON.parse` rounds integers beyond ±2^53 to the nearest
 * double (`12345678901234567890` becomes `12345678901234567000`); an answer holding one is found and reported with
 * the member's path and its exact value instead. The check costs one regular-expression scan for a run of 16
 * digits, which ordinary answers do not contain outside strings; only when one is present is the text tokenized.
 */

/** An integer literal of the answer that a JavaScript number cannot hold exactly. */
export interface UnsafeInteger {
  /** Where it is, in Tencent's notation from the root of the JSON text (`Response.TelCdrs[1].Duration`). */
  readonly path: string;
  /** Its digits as written. */
  readonly literal: string;
}

export interface ParsedAnswer {
  /** What `JSON.parse` made of the text (unsafe integers rounded). */
  readonly value: unknown;
  /** The integers beyond ±2^53, in document order; empty for almost every answer. */
  readonly unsafe: readonly UnsafeInteger[];
}

/** 2^53 − 1 has 16 digits: an integer with fewer is always safe. */
const SIXTEEN_DIGITS = /\d{16}/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Parses `text` as JSON (throwing JSON.parse's SyntaxError) and finds its unsafe integers. */
export function parseAnswer(text: string): ParsedAnswer {
  const value: unknown = JSON.parse(text);
  if (!SIXTEEN_DIGITS.test(text)) return { value, unsafe: [] };
  return { value, unsafe: unsafeIntegers(text) };
}

/**
 * `value` with every unsafe integer replaced by its exact `bigint`: the answer as the server wrote it. `unsafe`
 * paths are those `parseAnswer` found in the text `value` was parsed from.
 */
export function exactValue(value: unknown, unsafe: readonly UnsafeInteger[]): unknown {
  for (const { path, literal } of unsafe) {
    const steps = pathSteps(path);
    let parent = value as Record<string | number, unknown>;
    for (const step of steps.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
    parent[steps[steps.length - 1]!] = BigInt(literal);
  }
  return value;
}

function pathSteps(path: string): (string | number)[] {
  const steps: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) steps.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return steps;
}

interface Frame {
  readonly array: boolean;
  /** The current member name (objects) or item index (lists). */
  at: string | number;
  /** In an object: the next string is a member name. */
  expectKey: boolean;
}

function pathOf(stack: readonly Frame[]): string {
  let path = "";
  for (const frame of stack) path += frame.array ? `[${frame.at}]` : path ? `.${String(frame.at)}` : String(frame.at);
  return path;
}

/**
 * Tokenizes JSON text (already known to be valid) iteratively, so that nesting depth costs no stack, and returns
 * the integer literals beyond ±2^53 that end up in the parsed value (a member written twice keeps its last value,
 * as JSON.parse does).
 */
function unsafeIntegers(text: string): UnsafeInteger[] {
  const found = new Map<string, string | undefined>();
  const stack: Frame[] = [];
  const valueAt = (literal: string | undefined) => {
    if (literal === undefined && found.size === 0) return;
    const path = pathOf(stack);
    if (literal !== undefined || found.has(path)) found.set(path, literal);
  };
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    switch (c) {
      case 0x7b /* { */:
      case 0x5b /* [ */:
        valueAt(undefined);
        stack.push({ array: c === 0x5b, at: c === 0x5b ? 0 : "", expectKey: c === 0x7b });
        i++;
        break;
      case 0x7d /* } */:
      case 0x5d /* ] */:
        stack.pop();
        i++;
        break;
      case 0x2c /* , */:
        if (top?.array) top.at = (top.at as number) + 1;
        else if (top) top.expectKey = true;
        i++;
        break;
      case 0x3a /* : */:
        i++;
        break;
      case 0x22 /* " */: {
        const end = stringEnd(text, i);
        if (top && !top.array && top.expectKey) {
          top.at = JSON.parse(text.slice(i, end)) as string;
          top.expectKey = false;
        } else valueAt(undefined);
        i = end;
        break;
      }
      default:
        if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
          const end = numberEnd(text, i);
          const literal = text.slice(i, end);
          valueAt(isUnsafeInteger(literal) ? literal : undefined);
          i = end;
        } else if (c === 0x74 /* t */ || c === 0x66 /* f */ || c === 0x6e /* n */) {
          valueAt(undefined);
          i += c === 0x66 ? 5 : 4;
        } else i++; // whitespace
    }
  }
  const unsafe: UnsafeInteger[] = [];
  for (const [path, literal] of found) if (literal !== undefined) unsafe.push({ path, literal });
  return unsafe;
}

/** Index just past the string starting at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i + 1;
  }
  return text.length;
}

function numberEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && /[-+.eE0-9]/.test(text[i]!)) i++;
  return i;
}

function isUnsafeInteger(literal: string): boolean {
  if (/[.eE]/.test(literal)) return false; // a float: rounding is what a float literal means
  const digits = literal.startsWith("-") ? literal.length - 1 : literal.length;
  if (digits < 16) return false;
  const n = BigInt(literal);
  return n > MAX_SAFE || n < -MAX_SAFE;
}
