/**
 * The emulator's side of CCC's data pushes: it POSTs a push (the spec's documented example, or members laid over
 * it) to a receiver on 127.0.0.1 as CCC does, with `X-TCCC-PUSH-UUID` and the authentication CCC's console offers
 * (none, Basic, or OAuth 2.0 client credentials: a token fetched from the token URL, then sent as a bearer token),
 * and pushes it again with the same UUID, at most 3 times, while the answer is not `{"ErrCode":0,…}`. Every attempt
 * is recorded; no password, client secret or token is.
 *
 * It sends to 127.0.0.1 only and follows no redirect: the admin API is unauthenticated, and a scripted push must
 * not become a way to make this machine send requests elsewhere.
 */
import http from "node:http";
import https from "node:https";
import type { PushDefinition } from "../action.js";
import { aString, type Fields, integerFrom, ownValue, type Rule, stringThat } from "./faults.js";
import { Ring } from "./records.js";
import type { EmulatedService } from "./spec.js";
import type { PushAttempt, PushAuthOption, PushDelivery, PushOutcome } from "./types.js";

/** How many pushes `pushes()` keeps, the oldest dropped first. */
const MAX_PUSH_RECORDS = 1000;
/** CCC's own limit: "最大重试次数为3次". */
const MAX_RETRIES = 3;
const MAX_RETRY_DELAY_MS = 10_000;
const MAX_TIMEOUT_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_RAW_BODY_BYTES = 1024 * 1024;
/** How much of an answer is read; a reply is a few dozen bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** How much of an answer that is not a reply an attempt keeps. */
const MAX_DETAIL_CHARS = 1024;
const MAX_SECRET_LENGTH = 4096;
const PRINTABLE = /^[\u0021-\u007e]+$/;

/** A push checked whole, ready to send: what `push()` and `POST /__admin/push` accept. */
interface CheckedPush {
  readonly definition: PushDefinition;
  readonly url: URL;
  readonly body: string;
  readonly auth: PushAuthOption;
  readonly tokenUrl?: URL;
  readonly uuid: string;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly timeoutMs: number;
}

/** An http(s) URL on 127.0.0.1 without credentials in it; the message does not repeat the URL (it may hold secrets). */
function localUrl(value: unknown): URL | string {
  if (typeof value !== "string") return "must be a string";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute http:// or https:// URL on 127.0.0.1";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return `must be an http:// or https:// URL on 127.0.0.1, not ${url.protocol}`;
  if (url.hostname !== "127.0.0.1")
    return `must be on 127.0.0.1 (the emulator pushes to this machine only), not ${url.hostname}`;
  if (url.username || url.password) return "must not hold a user or password (give them in auth)";
  return url;
}

const secret = stringThat((s) =>
  s === "" || s.length > MAX_SECRET_LENGTH ? `must be 1 to ${MAX_SECRET_LENGTH} characters` : undefined,
);
const pushId = stringThat((s) =>
  s.length <= 256 && PRINTABLE.test(s) ? undefined : "must be 1 to 256 visible ASCII characters",
);
const members: Rule = (v) =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? undefined : "must be an object of members";
const rawBody = stringThat((s) =>
  Buffer.byteLength(s, "utf8") <= MAX_RAW_BODY_BYTES ? undefined : `must be at most ${MAX_RAW_BODY_BYTES} bytes`,
);
const anObject: Rule = (v) =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? undefined : "must be an object";

const PUSH_FIELDS: Fields = {
  url: { rule: aString, required: true },
  push: { rule: aString, required: true },
  members: { rule: members },
  rawBody: { rule: rawBody },
  auth: { rule: anObject },
  uuid: { rule: pushId },
  maxRetries: { rule: integerFrom(0, MAX_RETRIES) },
  retryDelayMs: { rule: integerFrom(0, MAX_RETRY_DELAY_MS) },
  timeoutMs: { rule: integerFrom(1, MAX_TIMEOUT_MS) },
};

const AUTH_FIELDS: Readonly<Record<PushAuthOption["type"], Fields>> = {
  none: {},
  basic: { username: { rule: secret, required: true }, password: { rule: secret, required: true } },
  oauth: {
    tokenUrl: { rule: aString, required: true },
    clientId: { rule: secret, required: true },
    clientSecret: { rule: secret, required: true },
    clientAuth: {
      rule: (v) => (v === "basic" || v === "form" ? undefined : 'must be "basic" or "form"'),
    },
  },
};

/** The fields of `input` that `fields` lists, checked; or the first problem, naming `at.field`. */
function checkFields(input: object, fields: Fields, at: string): Record<string, unknown> | string {
  for (const key of Object.keys(input))
    if (!Object.hasOwn(fields, key) && ownValue(input, key) !== undefined)
      return `${at}.${key} is not a field (the fields: ${Object.keys(fields).join(", ") || "none"})`;
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    const value = ownValue(input, name);
    if (value === undefined) {
      if (spec.required) return `${at}.${name} is required`;
      continue;
    }
    const problem = spec.rule(value);
    if (problem) return `${at}.${name} ${problem}`;
    out[name] = value;
  }
  return out;
}

function checkAuth(input: unknown): PushAuthOption | string {
  if (input === undefined) return { type: "none" };
  const type = ownValue(input as object, "type");
  if (typeof type !== "string" || !Object.hasOwn(AUTH_FIELDS, type))
    return `push.auth.type must be one of ${Object.keys(AUTH_FIELDS).join(", ")}`;
  const { type: _type, ...rest } = input as Record<string, unknown>;
  const checked = checkFields(rest, AUTH_FIELDS[type as PushAuthOption["type"]], "push.auth");
  return typeof checked === "string" ? checked : ({ type, ...checked } as PushAuthOption);
}

/** The body: the example with `members` laid over it, or `rawBody`; or why it cannot be written. */
function bodyOf(definition: PushDefinition, fields: Record<string, unknown>): string {
  if (fields.rawBody !== undefined) return fields.rawBody as string;
  const payload: Record<string, unknown> = { ...definition.example, ...(fields.members as object | undefined) };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
  return JSON.stringify(payload);
}

/** A checked copy of a push for `service`, or the first problem, naming the field (`push.url must be on 127.0.0.1`). */
export function checkPush(service: EmulatedService, input: unknown): CheckedPush | string {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return "push must be a JSON object";
  const fields = checkFields(input, PUSH_FIELDS, "push");
  if (typeof fields === "string") return fields;
  const definition = service.pushes.get(fields.push as string);
  if (!definition)
    return `push.push must be the action of a push: ${[...service.pushes.keys()].join(", ") || "(this spec has none)"}`;
  if (fields.members !== undefined && fields.rawBody !== undefined) return "push: give members or rawBody, not both";
  const url = localUrl(fields.url);
  if (typeof url === "string") return `push.url ${url}`;
  url.searchParams.set("action", definition.action);
  if (definition.version !== undefined) url.searchParams.set("version", definition.version);
  const auth = checkAuth(fields.auth);
  if (typeof auth === "string") return auth;
  let tokenUrl: URL | undefined;
  if (auth.type === "oauth") {
    const checked = localUrl(auth.tokenUrl);
    if (typeof checked === "string") return `push.auth.tokenUrl ${checked}`;
    tokenUrl = checked;
  }
  let body: string;
  try {
    body = bodyOf(definition, fields);
  } catch (e) {
    return `push.members cannot be written as JSON: ${(e as Error).message}`;
  }
  return {
    definition,
    url,
    body,
    auth,
    ...(tokenUrl ? { tokenUrl } : {}),
    uuid: (fields.uuid as string | undefined) ?? crypto.randomUUID(),
    maxRetries: (fields.maxRetries as number | undefined) ?? MAX_RETRIES,
    retryDelayMs: (fields.retryDelayMs as number | undefined) ?? 0,
    timeoutMs: (fields.timeoutMs as number | undefined) ?? DEFAULT_TIMEOUT_MS,
  };
}

type Exchange =
  | { readonly status: number; readonly text: string }
  | { readonly failed: "timeout" | "connection-error" | "aborted"; readonly message: string };

/** One POST to a checked local URL: the answer (its first 64 KiB), or how it failed. No redirect is followed. */
function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Exchange> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ failed: "aborted", message: "the emulator closed" });
    const bytes = Buffer.from(body, "utf8");
    const client = url.protocol === "https:" ? https : http;
    let settled = false;
    const finish = (e: Exchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(e);
    };
    const req = client.request(url, {
      method: "POST",
      headers: { ...headers, "Content-Length": String(bytes.length), "User-Agent": "ccc-emulator" },
      agent: false,
    });
    const timer = setTimeout(() => {
      finish({ failed: "timeout", message: `no complete answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    const onAbort = () => {
      finish({ failed: "aborted", message: "the emulator closed" });
      req.destroy();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    req.on("error", (e) => finish({ failed: "connection-error", message: e.message }));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(c);
        else res.destroy();
      });
      const done = () => finish({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
      res.on("end", done);
      res.on("close", done);
      res.on("error", done);
    });
    req.end(bytes);
  });
}

const snippet = (text: string) => (text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text);

/** The receiver's reply, when its answer is one: `{ ErrCode: number, ErrMsg?: string }`. */
function replyOf(text: string): { errCode: number; errMsg: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  const { ErrCode, ErrMsg } = value as { ErrCode?: unknown; ErrMsg?: unknown };
  if (typeof ErrCode !== "number") return undefined;
  return { errCode: ErrCode, errMsg: typeof ErrMsg === "string" ? ErrMsg : "" };
}

/** What an exchange with the receiver makes of an attempt (without its number and duration). */
function outcomeOf(exchange: Exchange): Omit<PushAttempt, "attempt" | "durationMs"> {
  if ("failed" in exchange) return { outcome: exchange.failed, detail: exchange.message };
  const { status, text } = exchange;
  const ok = status >= 200 && status < 300;
  const reply = replyOf(text);
  if (reply) {
    const outcome: PushOutcome = ok && reply.errCode === 0 ? "accepted" : "refused";
    return { outcome, status, errCode: reply.errCode, errMsg: reply.errMsg };
  }
  return { outcome: ok ? "unparsable" : "http-error", status, detail: snippet(text) };
}

const basicHeader = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
/** RFC 6749 §2.3.1: the client's ID and secret are form-urlencoded before Basic encodes them. */
const formEncoded = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");

/** A bearer token from the token URL (RFC 6749 §4.4), or the failed attempt. */
async function fetchToken(
  push: CheckedPush & { auth: Extract<PushAuthOption, { type: "oauth" }> },
  signal: AbortSignal,
): Promise<string | Omit<PushAttempt, "attempt" | "durationMs">> {
  const { auth } = push;
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (auth.clientAuth === "form") {
    form.set("client_id", auth.clientId);
    form.set("client_secret", auth.clientSecret);
  } else headers.Authorization = basicHeader(formEncoded(auth.clientId), formEncoded(auth.clientSecret));
  const exchange = await post(push.tokenUrl!, headers, form.toString(), push.timeoutMs, signal);
  if ("failed" in exchange)
    return {
      outcome: exchange.failed === "aborted" ? "aborted" : "token-error",
      detail: `token URL: ${exchange.message}`,
    };
  let answer: { access_token?: unknown; token_type?: unknown } | undefined;
  try {
    answer = JSON.parse(exchange.text) as typeof answer;
  } catch {
    answer = undefined;
  }
  const token = answer?.access_token;
  const type = answer?.token_type;
  const ok = exchange.status >= 200 && exchange.status < 300;
  if (!ok || typeof token !== "string" || !/^[A-Za-z0-9\-._~+/]+=*$/.test(token) || token.length > MAX_SECRET_LENGTH)
    return {
      outcome: "token-error",
      status: exchange.status,
      // The answer may hold a token; only an error's own fields are kept (RFC 6749 §5.2).
      detail: `the token URL answered ${exchange.status} without a usable access_token${errorOf(exchange.text)}`,
    };
  if (typeof type !== "string" || type.toLowerCase() !== "bearer")
    return { outcome: "token-error", status: exchange.status, detail: "the token URL's token_type is not Bearer" };
  return token;
}

/** `: invalid_client (unknown client)` from an RFC 6749 §5.2 error answer, else nothing. */
function errorOf(text: string): string {
  try {
    const { error, error_description } = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof error !== "string") return "";
    return `: ${snippet(error)}${typeof error_description === "string" ? ` (${snippet(error_description)})` : ""}`;
  } catch {
    return "";
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms === 0 || signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Sends checked pushes, keeps what they got, and stops them all when the emulator closes. */
export class PushSender {
  readonly #service: EmulatedService;
  readonly #records = new Ring<PushDelivery>(MAX_PUSH_RECORDS);
  readonly #running = new Set<AbortController>();
  #seq = 0;

  constructor(service: EmulatedService) {
    this.#service = service;
  }

  /** The delivery of `input`, once it was taken or its retries ran out; or why it is refused (naming the field). */
  send(input: unknown): Promise<PushDelivery> | string {
    const push = checkPush(this.#service, input);
    return typeof push === "string" ? push : this.#deliver(push);
  }

  records(): PushDelivery[] {
    return this.#records.items();
  }

  reset(): void {
    this.#records.clear();
  }

  /** Ends every push under way: its attempt in flight ends `aborted`, and no retry follows. */
  abortAll(): void {
    for (const c of this.#running) c.abort();
    this.#running.clear();
  }

  async #deliver(push: CheckedPush): Promise<PushDelivery> {
    const controller = new AbortController();
    this.#running.add(controller);
    const delivery: PushDelivery = {
      seq: ++this.#seq,
      push: push.definition.action,
      url: push.url.href,
      uuid: push.uuid,
      auth: push.auth.type,
      delivered: false,
      attempts: [],
      startedAt: Date.now(),
    };
    this.#records.push(delivery);
    let token: string | undefined;
    try {
      for (let attempt = 1; attempt <= push.maxRetries + 1; attempt++) {
        if (attempt > 1) await sleep(push.retryDelayMs, controller.signal);
        const started = performance.now();
        let result: Omit<PushAttempt, "attempt" | "durationMs">;
        if (controller.signal.aborted) result = { outcome: "aborted", detail: "the emulator closed" };
        else if (push.auth.type === "oauth" && token === undefined) {
          const got = await fetchToken(
            push as CheckedPush & { auth: Extract<PushAuthOption, { type: "oauth" }> },
            controller.signal,
          );
          if (typeof got === "string") token = got;
          result = typeof got === "string" ? await this.#send(push, token, controller.signal) : got;
        } else result = await this.#send(push, token, controller.signal);
        delivery.attempts.push({ attempt, ...result, durationMs: Math.round(performance.now() - started) });
        // A refused token is fetched again for the next attempt.
        if (result.status === 401) token = undefined;
        if (result.outcome === "accepted") delivery.delivered = true;
        if (result.outcome === "accepted" || result.outcome === "aborted") break;
      }
    } finally {
      this.#running.delete(controller);
    }
    return structuredClone(delivery);
  }

  #send(
    push: CheckedPush,
    token: string | undefined,
    signal: AbortSignal,
  ): Promise<Omit<PushAttempt, "attempt" | "durationMs">> {
    const headers: Record<string, string> = {
      "Content-Type": "application/json;charset=utf8",
      "X-TCCC-PUSH-UUID": push.uuid,
    };
    if (push.auth.type === "basic") headers.Authorization = basicHeader(push.auth.username, push.auth.password);
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    return post(push.url, headers, push.body, push.timeoutMs, signal).then(outcomeOf);
  }
}
