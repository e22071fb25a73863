/**
 * Proxies for the node:http(s) transport, as curl chooses them: `https_proxy` / `HTTPS_PROXY` for https endpoints,
 * `http_proxy` / `HTTP_PROXY` for http ones (lower case first), `no_proxy` / `NO_PROXY` for the hosts that go
 * direct, or an explicit `proxy` option (a URL, or `false` for none).
 *
 * An https endpoint is reached through an HTTP `CONNECT` tunnel, and TLS runs end to end inside it (the proxy sees
 * only the host name). An http endpoint is asked of the proxy in absolute form (`POST http://host/ HTTP/1.1`).
 * `user:password@` in the proxy URL is sent as `Proxy-Authorization: Basic`.
 */
import type http from "node:http";
import type https from "node:https";
import type { Duplex } from "node:stream";
import type tls from "node:tls";
import { nodeHttps, nodeNet, nodeTls } from "./builtins.js";
import { CccConfigError } from "./errors.js";

/** A proxy to use (not named `Proxy`: that is a global): where it listens, and its `Proxy-Authorization`. */
export interface ProxyServer {
  readonly host: string;
  readonly port: number;
  readonly authorization: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The variables read, in lower case (the upper-case names are read too, after them). */
export const PROXY_VARIABLES = ["https_proxy", "http_proxy", "no_proxy"] as const;

/** A proxy URL (`http://[user:password@]host[:port]`) as a `ProxyServer`; `name` says where it came from, for errors. */
export function parseProxy(value: string, name: string): ProxyServer {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new CccConfigError(`${name} is not a proxy URL such as http://proxy.example:3128`);
  }
  if (url.protocol !== "http:")
    throw new CccConfigError(`${name} must be an http:// proxy (the tunnel to the endpoint carries its TLS)`);
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: Number(url.port || 80),
    authorization: user || password ? `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` : undefined,
  };
}

const variable = (env: Env, name: string) => (env[name.toLowerCase()] ?? env[name.toUpperCase()])?.trim() || undefined;

/** Whether `no_proxy` sends `url` direct: `*`, a host, a domain suffix (`.example.com` or `example.com`), `host:port`. */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === "*") return true;
      const [name, entryPort] = entry
        .toLowerCase()
        .replace(/^\*?\./, ".")
        .split(/:(?=\d+$)/) as [string, string?];
      if (entryPort && entryPort !== port) return false;
      const bare = name.replace(/^\./, "");
      return host === bare || host.endsWith(`.${bare}`);
    });
}

/** The proxy for `url`: the option when given (`false`: none), else the environment's, unless no_proxy says not. */
export function proxyFor(url: URL, option: string | false | undefined, env: Env): ProxyServer | undefined {
  if (option === false) return undefined;
  if (option !== undefined) return parseProxy(option, "proxy");
  const name = url.protocol === "https:" ? "https_proxy" : "http_proxy";
  const value = variable(env, name);
  if (!value || bypassesProxy(url, variable(env, "no_proxy"))) return undefined;
  return parseProxy(value, name.toUpperCase());
}

/** The most a proxy may answer to CONNECT before its blank line: a proxy that floods is refused, not buffered. */
const MAX_CONNECT_ANSWER = 16 * 1024;

/**
 * An https agent whose connections are CONNECT tunnels through `proxy`, TLS inside. The class is made when a
 * first tunnel is needed: it extends https.Agent, which is loaded only then (src/builtins.ts).
 */
export function tunnelAgent(proxy: ProxyServer, options: https.AgentOptions): https.Agent {
  TunnelAgent ??= tunnelAgentClass(nodeHttps());
  return new TunnelAgent(proxy, options);
}

let TunnelAgent: ReturnType<typeof tunnelAgentClass> | undefined;

const tunnelAgentClass = (https: typeof import("node:https")) =>
  class TunnelAgent extends https.Agent {
    readonly #proxy: ProxyServer;

    constructor(proxy: ProxyServer, options: https.AgentOptions) {
      super(options);
      this.#proxy = proxy;
    }

    override createConnection(
      args: http.ClientRequestArgs,
      callback?: (error: Error | null, stream: Duplex) => void,
    ): undefined {
      const options = args as tls.ConnectionOptions & { host?: string; port?: number | string; servername?: string };
      const done = callback ?? (() => {});
      const target = `${formatHost(options.host ?? "localhost")}:${options.port ?? 443}`;
      const proxy = nodeNet().connect(this.#proxy.port, this.#proxy.host);
      const fail = (error: Error) => {
        proxy.destroy();
        done(error, proxy);
      };
      proxy.once("error", fail);
      proxy.once("connect", () => {
        const auth = this.#proxy.authorization ? `Proxy-Authorization: ${this.#proxy.authorization}\r\n` : "";
        proxy.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
      });
      let answer = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        answer = Buffer.concat([answer, chunk]);
        const end = answer.indexOf("\r\n\r\n");
        if (end === -1) {
          if (answer.length > MAX_CONNECT_ANSWER) fail(proxyError("answered CONNECT with an endless header", "EPROXY"));
          return;
        }
        proxy.off("data", onData);
        proxy.off("error", fail);
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer.subarray(0, end).toString("latin1"))?.[1];
        if (status !== "200")
          return fail(proxyError(`refused the tunnel to ${target} (${status ?? "not an HTTP answer"})`, "EPROXY"));
        if (answer.length > end + 4) proxy.unshift(answer.subarray(end + 4));
        // The agent's own TLS options (host for the certificate check, servername for SNI), over the tunnel.
        const secure = nodeTls().connect({ ...options, socket: proxy });
        done(null, secure);
      };
      proxy.on("data", onData);
      return undefined;
    }
  };

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function proxyError(what: string, code: string): Error & { code: string } {
  return Object.assign(new Error(`the proxy ${what}`), { code });
}

/** How an http request goes through a proxy: to the proxy, asking for the absolute URL, with the real Host. */
export function viaProxy(
  request: Omit<http.RequestOptions, "headers"> & { headers: Record<string, string> },
  url: URL,
  proxy: ProxyServer,
): http.RequestOptions {
  const headers: Record<string, string> = { ...request.headers, host: url.host };
  if (proxy.authorization) headers["proxy-authorization"] = proxy.authorization;
  return { ...request, hostname: proxy.host, port: proxy.port, path: url.href, headers };
}
