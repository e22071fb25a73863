/**
 * Checks of client and call options: each names the option and what it must be, and throws CccConfigError before
 * anything is sent.
 */
import { CccConfigError } from "./errors.js";
import type { Backoff } from "./retry.js";
import { DEFAULT_BACKOFF } from "./retry.js";
import { MAX_RESPONSE_BYTES_LIMIT } from "./transport.js";

export type Language = "zh-CN" | "en-US";
const LANGUAGES: readonly string[] = ["zh-CN", "en-US"];
const MAX_TIMER_MS = 2_147_483_647;

export function checkTimeout(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS)
    throw new CccConfigError(
      `${name} must be a positive number of milliseconds (at most ${MAX_TIMER_MS}), got ${String(value)}`,
    );
  return value;
}

export function checkCount(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 100)
    throw new CccConfigError(`${name} must be a whole number from 0 to 100, got ${String(value)}`);
  return value;
}

export function checkBytes(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_RESPONSE_BYTES_LIMIT)
    throw new CccConfigError(
      `${name} must be a whole number of bytes from 1 to ${MAX_RESPONSE_BYTES_LIMIT}, got ${String(value)}`,
    );
  return value;
}

export function checkBackoff(value: Backoff | undefined, name: string): Required<Backoff> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object") throw new CccConfigError(`${name} must be { baseMs?, maxMs? }`);
  const baseMs = value.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const maxMs = value.maxMs ?? Math.max(DEFAULT_BACKOFF.maxMs, baseMs);
  for (const [k, v] of [
    ["baseMs", baseMs],
    ["maxMs", maxMs],
  ] as const)
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      throw new CccConfigError(`${name}.${k} must be a non-negative number of milliseconds, got ${String(v)}`);
  if (maxMs < baseMs) throw new CccConfigError(`${name}.maxMs (${maxMs}) must not be less than baseMs (${baseMs})`);
  return { baseMs, maxMs };
}

export function checkLanguage(value: unknown, name: string): Language | undefined {
  if (value === undefined) return undefined;
  if (!LANGUAGES.includes(value as string))
    throw new CccConfigError(`${name} must be "zh-CN" or "en-US", got ${JSON.stringify(value)}`);
  return value as Language;
}

export function checkRegion(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^[a-z0-9-]+$/.test(value))
    throw new CccConfigError(`${name} must look like "ap-guangzhou", got ${JSON.stringify(value)}`);
  return value;
}

/** `host` or `scheme://host[:port][/]` → origin; anything with a path, query or credentials is refused. */
export function parseEndpoint(endpoint: string): URL {
  if (typeof endpoint !== "string") throw new CccConfigError("endpoint must be a string");
  const text = endpoint.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new CccConfigError(`endpoint ${JSON.stringify(endpoint)} is neither a host name nor a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new CccConfigError(`endpoint must use http or https, got ${url.protocol}`);
  if (url.username || url.password) throw new CccConfigError("endpoint must not contain a user name or password");
  if (url.pathname !== "/" || url.search || url.hash)
    throw new CccConfigError(
      `endpoint must be a host or an origin without a path (Tencent signs the path "/"), got ${JSON.stringify(endpoint)}`,
    );
  return url;
}

/**
 * The `agent` option: an object with an agent's `addRequest` (http.Agent, https.Agent, a proxy agent), and alone:
 * with `proxy` or `fetch` one of the two would be silently ignored.
 */
export function checkAgent(options: { agent?: unknown; proxy?: unknown; fetch?: unknown }): void {
  const { agent } = options;
  if (agent === undefined) return;
  if (
    typeof agent !== "object" ||
    agent === null ||
    typeof (agent as { addRequest?: unknown }).addRequest !== "function"
  )
    throw new CccConfigError("agent must be an http.Agent or https.Agent (or an agent built on them)");
  if (options.proxy !== undefined)
    throw new CccConfigError("agent and proxy cannot both be given: the agent decides the route (give it the proxy)");
  if (options.fetch !== undefined)
    throw new CccConfigError(
      "agent and fetch cannot both be given: agent is for the default transport; set your fetch's own dispatcher or agent",
    );
}
