/**
 * The HTTP plumbing the API and the admin API share: headers, reading a bounded body, writing an answer dated by
 * the emulator's clock, the timers a closing emulator cancels, and what an emulator bug leaves a client with.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Tencent's request size limit. */
export const MAX_BODY_BYTES: number = 10 * 1024 * 1024;
/** Past this an oversized upload is cut off instead of drained. */
const MAX_DRAIN_BYTES = 4 * MAX_BODY_BYTES;
export { MAX_BODY_NESTING, nestsDeeperThan } from "../json-nesting.js";

/** A request header by its lower-case name, repeated ones joined with ", ". */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

export type BodyRead =
  { buf: Buffer } | { oversized: true; bytes: number } | { aborted: true; oversized: boolean; bytes: number };

/**
 * Reads a body: `{ buf }`, or `{ oversized }` once it passed `limit` (the rest is drained and dropped, up to
 * MAX_DRAIN_BYTES, then the socket is destroyed), or `{ aborted }` when the client went away first. Counted as it
 * arrives, so a chunked upload without Content-Length is held to `limit` just the same; `bytes` is what arrived.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: BodyRead) => {
      if (!done) {
        done = true;
        resolve(v);
      }
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) req.socket.destroy();
    });
    req.on("end", () => finish(size > limit ? { oversized: true, bytes: size } : { buf: Buffer.concat(chunks) }));
    const onAbort = () => finish({ aborted: true, oversized: size > limit, bytes: size });
    req.on("error", onAbort);
    req.on("close", onAbort); // no effect after "end"
  });
}

/** Writes whole answers, their `Date` header from the emulator's clock. */
export class Sender {
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  send(res: ServerResponse, status: number, body: string, contentType = "application/json"): void {
    const buf = Buffer.from(body, "utf8");
    res.writeHead(status, {
      "Content-Type": contentType,
      "Content-Length": buf.length,
      Date: this.date(),
    });
    res.end(buf);
  }

  json(res: ServerResponse, status: number, value: unknown, extra?: Record<string, string>): void {
    if (extra) for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
    this.send(res, status, JSON.stringify(value));
  }

  /** The `Date` header's value now. */
  date(): string {
    return new Date(this.#now()).toUTCString();
  }
}

/** The timers of delayed answers, so that closing the emulator can clear them all. */
export class Delays {
  readonly #timers = new Set<NodeJS.Timeout>();

  /** Waits `ms` unless the client goes away first; resolves false if it did (or the emulator closed). */
  wait(res: ServerResponse, ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const onClose = () => {
        clearTimeout(timer);
        this.#timers.delete(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        res.off("close", onClose);
        resolve(true);
      }, ms);
      this.#timers.add(timer);
      res.once("close", onClose);
    });
  }

  clearAll(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}

/** Writes an emulator bug's detail where the operator sees it; clients only learn that there was one. */
export function reportInternalError(err: unknown): void {
  process.stderr.write(`ccc-emulator: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
}

/** After an emulator bug: the detail to stderr, and `answer` unless an answer already started (then it is cut). */
export function failInternally(res: ServerResponse, err: unknown, answer: () => void): void {
  reportInternalError(err);
  if (res.headersSent) res.destroy();
  else answer();
}
