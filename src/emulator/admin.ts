/**
 * The admin API under `/__admin/`: it scripts faults, moves the clock, sets the lifetime of the temporary
 * credentials issued, lists what was received and sends data pushes. It is unsigned, so only for this machine: it
 * answers a loopback Host with the emulator's port, and POSTs only with a JSON Content-Type, which no web page can
 * send.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { failInternally, header, MAX_BODY_NESTING, nestsDeeperThan, readBody, type Sender } from "./http.js";
import type { PushSender } from "./push.js";
import type { Scenarios } from "./scenarios.js";
import type { EmulatorState } from "./state.js";
import { rateLimitProblem, type Throttle } from "./throttle.js";

const MAX_ADMIN_BODY_BYTES = 1024 * 1024;

/** An admin request's HTTP status and the reason it is refused. */
interface Refusal {
  readonly status: number;
  readonly error: string;
}

export function isLoopback(host: string): boolean {
  if (host === "localhost" || host === "::1" || host === "[::1]") return true;
  const m = /^(?:::ffff:)?127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i.exec(host);
  if (!m) return false;
  return m.slice(1).every((o) => Number(o) <= 255);
}

/**
 * Whether a Host header names this emulator by a loopback name (127.x.x.x, localhost, [::1]) and its `port`. A web
 * page whose host name a DNS rebinding points at 127.0.0.1 still sends its own name, so it is refused. Without a
 * port only when `port` is 80: HTTP clients leave out the default port, and only it (RFC 9110 §7.2).
 */
export function isLoopbackHostHeader(host: string | undefined, port: number): boolean {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host ?? "");
  if (!m) return false;
  const [, name, portText] = m as unknown as [string, string, string | undefined];
  if ((portText === undefined ? 80 : Number(portText)) !== port) return false;
  return isLoopback(name.toLowerCase().replace(/^\[(.*)\]$/, "$1"));
}

/** Whether a Content-Type is JSON's media type (`application/json`, parameters allowed, any case). */
function isJsonMediaType(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

/** The JSON body of an admin POST (undefined when empty), the answer that refuses it, or undefined if the client left. */
async function readAdminInput(req: IncomingMessage): Promise<{ input: unknown } | Refusal | undefined> {
  const read = await readBody(req, MAX_ADMIN_BODY_BYTES);
  if ("aborted" in read) return undefined;
  if ("oversized" in read) return { status: 413, error: `admin body larger than ${MAX_ADMIN_BODY_BYTES} bytes` };
  const text = read.buf.toString("utf8");
  if (text.trim() === "") return { input: undefined };
  if (nestsDeeperThan(text, MAX_BODY_NESTING))
    return { status: 400, error: `admin body is nested more than ${MAX_BODY_NESTING} levels deep` };
  try {
    return { input: JSON.parse(text) };
  } catch {
    return { status: 400, error: "admin body is not valid JSON" };
  }
}

export interface AdminDependencies {
  readonly state: EmulatorState;
  /** Data sets and state scripts (`POST /__admin/data`, `POST /__admin/states`). */
  readonly scenarios: Scenarios;
  /** The data pushes it sends (`POST /__admin/push`, `GET /__admin/pushes`). */
  readonly pushes: PushSender;
  readonly sender: Sender;
  /** The port the emulator listens on (known once it listens): the Host check needs it. */
  readonly port: () => number;
  /** The rate limit (`POST /__admin/rate-limit`; a reset refills it). */
  readonly throttle: Throttle;
}

export class AdminApi {
  readonly #state: EmulatorState;
  readonly #scenarios: Scenarios;
  readonly #pushes: PushSender;
  readonly #sender: Sender;
  readonly #port: () => number;
  readonly #throttle: Throttle;

  constructor(deps: AdminDependencies) {
    this.#state = deps.state;
    this.#scenarios = deps.scenarios;
    this.#pushes = deps.pushes;
    this.#sender = deps.sender;
    this.#port = deps.port;
    this.#throttle = deps.throttle;
  }

  /** Serves one admin request (`path` without the query string); it answers its own internal errors. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      await this.#serve(req, res, path);
    } catch (err) {
      failInternally(res, err, () =>
        this.#sender.json(res, 500, { error: "emulator internal error (details on its stderr)" }),
      );
    }
  }

  async #serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const refusal = this.#refusal(req);
    if (refusal) return this.#sender.json(res, refusal.status, { error: refusal.error }, { Connection: "close" });
    let input: unknown;
    if (req.method === "POST") {
      const read = await readAdminInput(req);
      if (read === undefined) return; // the client went away
      if ("error" in read) return this.#sender.json(res, read.status, { error: read.error });
      input = read.input;
    }
    if (`${req.method} ${path}` === "POST /__admin/push") return this.#push(res, input);
    this.#route(res, `${req.method} ${path}`, input);
  }

  /** Sends the push and answers once it was taken or its retries ran out: the delivery with every attempt. */
  async #push(res: ServerResponse, input: unknown): Promise<void> {
    const sent = this.#pushes.send(input);
    if (typeof sent === "string") return this.#sender.json(res, 400, { error: sent });
    this.#sender.json(res, 200, await sent);
  }

  /** Why an admin request is refused before its body is read, or undefined. */
  #refusal(req: IncomingMessage): Refusal | undefined {
    const port = this.#port();
    if (!isLoopbackHostHeader(header(req, "host"), port))
      return {
        status: 403,
        error: `the admin API answers only requests with Host 127.0.0.1:${port}, localhost:${port} or [::1]:${port}`,
      };
    if (req.method === "POST" && !isJsonMediaType(header(req, "content-type")))
      return { status: 415, error: "admin POSTs must have Content-Type: application/json" };
    return undefined;
  }

  /** Answers `route` (`METHOD /__admin/…`) with its JSON `input`. */
  #route(res: ServerResponse, route: string, input: unknown): void {
    const json = (status: number, value: unknown) => this.#sender.json(res, status, value);
    switch (route) {
      case "GET /__admin/requests":
        return json(200, this.#state.records());
      case "GET /__admin/faults":
        return json(200, this.#state.faults());
      case "POST /__admin/faults": {
        const result = this.#state.enqueue(input);
        if ("refused" in result) return json(400, { error: result.refused.message });
        return json(200, { ok: true, queued: this.#state.faults().length });
      }
      case "POST /__admin/data": {
        const refused = this.#scenarios.setDataSet(input);
        return refused ? json(400, { error: refused }) : json(200, { ok: true });
      }
      case "POST /__admin/states": {
        const refused = this.#scenarios.setStates(input);
        return refused ? json(400, { error: refused }) : json(200, { ok: true });
      }
      case "GET /__admin/pushes":
        return json(200, this.#pushes.records());
      case "POST /__admin/reset":
        this.#state.reset();
        this.#pushes.reset();
        this.#throttle.refill();
        return json(200, { ok: true });
      case "POST /__admin/rate-limit": {
        const perSecond = (input as { perSecond?: unknown } | undefined)?.perSecond;
        const problem =
          perSecond === undefined ? "is required" : perSecond === null ? undefined : rateLimitProblem(perSecond);
        if (problem) return json(400, { error: `perSecond ${problem} (or null: no limit)` });
        this.#throttle.set(perSecond === null ? undefined : (perSecond as number));
        return json(200, { ok: true, perSecond });
      }
      case "POST /__admin/credential-lifetime": {
        if (input === null || typeof input !== "object" || !("seconds" in input))
          return json(400, { error: "body must be { seconds: number } or { seconds: null }" });
        const seconds = (input as { seconds: unknown }).seconds ?? undefined;
        const refused = this.#state.issued.setLifetime(seconds);
        return refused ? json(400, { error: refused }) : json(200, { ok: true, seconds: seconds ?? null });
      }
      case "POST /__admin/clock": {
        const offsetMs = (input as { offsetMs?: unknown } | undefined)?.offsetMs;
        if (typeof offsetMs !== "number" || !Number.isFinite(offsetMs))
          return json(400, { error: "body must be { offsetMs: number }" });
        this.#state.setClockOffset(offsetMs);
        return json(200, { ok: true, offsetMs });
      }
      default:
        return json(404, { error: `no admin route ${route}` });
    }
  }
}
