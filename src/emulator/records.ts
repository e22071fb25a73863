/**
 * What the emulator keeps of the calls it receives. It is bounded twice over, at most `maxRecords` records (the
 * oldest go first) and at most MAX_RECORDED_BODY_BYTES of each body: without both, a long test run or a few large
 * uploads grow the process without limit (40 calls with 9 MB bodies once took it to 573 MB). Secrets are redacted
 * by one rule, wherever a header value is kept.
 */
import type { IncomingMessage } from "node:http";
import { mapCanonicalHeaders, redactAuthorization } from "./tc3.js";

export const DEFAULT_MAX_RECORDS = 1000;
export const MAX_RECORDS_LIMIT = 1_000_000;
/** How much of each body a record keeps; the rest is only counted (`bodyBytes`). */
export const MAX_RECORDED_BODY_BYTES: number = 64 * 1024;

/** Whether `n` is an accepted `maxRecords` (0 keeps no records). */
export function isRecordCount(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= MAX_RECORDS_LIMIT;
}

/** The last `capacity` items pushed, oldest first. */
export class Ring<T> {
  private slots: T[] = [];
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {}

  push(item: T): void {
    if (this.capacity === 0) return;
    this.slots[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  items(): T[] {
    const start = (this.next - this.size + this.capacity) % this.capacity;
    return Array.from({ length: this.size }, (_, i) => this.slots[(start + i) % this.capacity]!);
  }

  clear(): void {
    this.slots = [];
    this.next = 0;
    this.size = 0;
  }
}

/** The kept part of a body: all of it, or its first MAX_RECORDED_BODY_BYTES cut before a split UTF-8 character. */
export function recordedBody(raw: Buffer): { body: string; bodyBytes: number; bodyTruncated?: true } {
  if (raw.length <= MAX_RECORDED_BODY_BYTES) return { body: raw.toString("utf8"), bodyBytes: raw.length };
  let end = MAX_RECORDED_BODY_BYTES;
  // A UTF-8 character is at most 4 bytes: step back over at most 3 continuation bytes (10xxxxxx) to its start.
  for (let i = 0; i < 3 && (raw[end]! & 0xc0) === 0x80; i++) end--;
  return { body: raw.toString("utf8", 0, end), bodyBytes: raw.length, bodyTruncated: true };
}

/**
 * A header value as the records show it: the session token and the signature never leave the emulator (an
 * unsigned call's `Authorization: SKIP` holds neither, and shows as sent).
 */
export function recordedHeaderValue(name: string, value: string): string {
  if (name === "x-tc-token") return "***";
  if (name === "authorization") return value === "SKIP" ? value : redactAuthorization(value);
  return value;
}

/** Every received header, lower-case names, repeated ones joined; secrets redacted. */
export function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const value = recordedHeaderValue(name, req.rawHeaders[i + 1]!);
    out[name] = name in out && name !== "x-tc-token" ? `${out[name]}, ${value}` : value;
  }
  return out;
}

/** The canonical request as the records show it: a signed secret header (`x-tc-token`) is redacted there too. */
export function recordedCanonicalRequest(canonical: string): string {
  return mapCanonicalHeaders(canonical, recordedHeaderValue);
}
