/**
 * Node's modules that only some calls need (https and TLS for https endpoints, net for proxy tunnels, fs for a TKE
 * pod's web identity token), loaded the first time one is used rather than when the SDK is imported: importing
 * node:https and node:tls costs about 2 ms of a cold start, and a client for an http endpoint (the emulator) never
 * needs them. Synchronous, through
 * `require`, so the transport's paths stay synchronous. The web build replaces node:module (src/web/node-only.ts).
 */
import { createRequire } from "node:module";

type FsPromises = typeof import("node:fs/promises");
type Https = typeof import("node:https");
type Net = typeof import("node:net");
type Tls = typeof import("node:tls");

const load = createRequire(import.meta.url);
let fsPromises: FsPromises | undefined;
let https: Https | undefined;
let net: Net | undefined;
let tls: Tls | undefined;

export const nodeFsPromises = (): FsPromises => (fsPromises ??= load("node:fs/promises") as FsPromises);
export const nodeHttps = (): Https => (https ??= load("node:https") as Https);
export const nodeNet = (): Net => (net ??= load("node:net") as Net);
export const nodeTls = (): Tls => (tls ??= load("node:tls") as Tls);

/**
 * A Node module the SDK can do without (node:diagnostics_channel, for tracing), or undefined where the runtime has
 * none: `process.getBuiltinModule` where there is one (Node ≥ 20.16, Bun, Deno, workerd with nodejs_compat), else
 * `require` (older Node 20). In the web build `require` is node-only.ts's, which always throws: a browser has none.
 */
export function optionalBuiltin(name: string): unknown {
  try {
    const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    return (typeof runtime?.getBuiltinModule === "function" ? runtime.getBuiltinModule(name) : undefined) ?? load(name);
  } catch {
    return undefined;
  }
}
