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
