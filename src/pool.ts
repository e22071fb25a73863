/**
 * The keep-alive connection pool: node:http(s) agents that decide which pooled socket a request may take.
 *
 * RFC 9112 §9.3.1 and Go's net/http agree that a request which may have been read must not be replayed unless it
 * is idempotent, so a stale socket cannot be fixed after the fact for a non-idempotent call: it must not be used.
 * Servers rarely announce their idle timeout, and some gateways close a connection right after an answer without
 * `Connection: close`. So:
 *
 * - every idle socket is dropped after `keepAliveMs` (default 4 s: below Node's own 5 s server default and every
 *   common gateway), or sooner when the server announced `Keep-Alive: timeout=N` (N − 1 s), or sooner than a
 *   close this pool has seen the server make (a server seen closing right after answers gets no reuse at all);
 * - a socket the peer has closed (end of stream seen) is never handed out;
 * - an idempotent call takes any live pooled socket (if that socket turns out dead before an answer, the
 *   transport replays the call on a new connection);
 * - a non-idempotent call takes a pooled socket only if it is known fresh: its server announced keep-alive, and it
 *   has been idle less than the announced timeout (less than a second when none was given); otherwise it opens a
 *   new connection. A handshake is cheap next to a lost or doubled outbound call.
 */
import http from "node:http";
import type https from "node:https";
import type { Socket } from "node:net";
import { nodeHttps } from "./builtins.js";
import { PROXY_VARIABLES, parseProxy, type ProxyServer, proxyFor, tunnelAgent } from "./proxy.js";
import { DEFAULT_KEEP_ALIVE_MS, type NodeTransportOptions } from "./transport.js";
/** How long a non-idempotent call may reuse a socket whose server announced keep-alive without a timeout. */
const FRESH_MS = 1_000;
/** A peer close this soon after an answer means the server closes after every answer. */
const CLOSES_AFTER_ANSWER_MS = 100;
/** How long what the pool learnt about a server holds before it is tried again. */
const LEARNT_FOR_MS = 10 * 60_000;
/** Of an observed idle close, the part of the time a socket may still be reused. */
const LEARNT_IDLE_MARGIN = 0.8;

/** Request options the transport sets (symbols pass through http.request to the agent untouched). */
export const FRESH_ONLY: unique symbol = Symbol("ccc-sdk.freshOnly");
export const NEW_SOCKET: unique symbol = Symbol("ccc-sdk.newSocket");

interface SocketFacts {
  /** The agent's name of the origin (host:port:…). */
  name: string;
  /** The last answer said `Connection: keep-alive` or carried `Keep-Alive`. */
  announced: boolean;
  /** The announced idle timeout minus a second, ms; undefined when none was announced. */
  hintMs: number | undefined;
  /** performance.now() when the socket went back to the pool; undefined while it carries a request. */
  freedAt: number | undefined;
  /** How long it had been idle when it was last handed out (0 for a new socket). */
  idleWhenHandedOut: number;
}

interface Learnt {
  /** Until then the server is taken to close after every answer: no socket is kept. */
  closesAfterAnswerUntil: number;
  /** The shortest idle time after which the server was seen closing a pooled socket. */
  idleCloseMs: number;
  idleCloseUntil: number;
}

/** What the http.Agent does internally and its published types leave out. */
interface AgentInternals {
  addRequest(req: http.ClientRequest, options: Record<string | symbol, unknown>): void;
  keepSocketAlive(socket: Socket): boolean;
  getName(options: object): string;
  readonly freeSockets: Record<string, Socket[] | undefined>;
  readonly sockets: Record<string, Socket[] | undefined>;
}

/** How a request to an origin goes: the agent, and the proxy when there is one. */
export interface Route {
  readonly agent: http.Agent;
  readonly proxy: ProxyServer | undefined;
}

/** The sockets of both agents and what is known of them and of each server. */
export class ConnectionPool {
  readonly http: http.Agent;
  /** Made for the first https request (node:https is loaded only then). */
  #https: https.Agent | undefined;
  readonly #keepAliveMs: number;
  readonly #facts = new WeakMap<Socket, SocketFacts>();
  readonly #learnt = new Map<string, Learnt>();
  /** Sockets busy when close() ran: closed when their call ends instead of going back to the pool. */
  readonly #retiring = new WeakSet<Socket>();

  readonly #agentOptions: http.AgentOptions;
  readonly #proxyOption: string | false | undefined;
  /** The proxy variables as they were when the transport was made (https_proxy, no_proxy, ...). */
  readonly #env: Readonly<Record<string, string | undefined>>;
  /** One tunnelling agent per proxy, made when a request first needs it. */
  readonly #tunnels = new Map<string, https.Agent>();
  /** The route of each origin requested so far. */
  readonly #routes = new Map<string, Route>();
  /** The app's agent (the `agent` option), which then carries every request and keeps its own sockets. */
  readonly #appAgent: http.Agent | undefined;

  constructor(options: NodeTransportOptions = {}) {
    this.#keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
    this.#agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, timeout: this.#keepAliveMs };
    this.http = this.#pooled(new http.Agent(this.#agentOptions));
    this.#appAgent = options.agent as http.Agent | undefined;
    this.#proxyOption = options.proxy;
    if (options.proxy !== undefined && options.proxy !== false) parseProxy(options.proxy, "proxy"); // refused now, not per call
    this.#env = Object.fromEntries(
      PROXY_VARIABLES.flatMap((n) => [n, n.toUpperCase()]).map((n) => [n, process.env[n]]),
    );
  }

  /**
   * The agent for a request to `url`, and the proxy it goes through: a CONNECT tunnel for https (TLS inside),
   * the proxy itself for http (the request then names the absolute URL: see viaProxy).
   */
  route(url: URL): Route {
    // The same for every request to an origin (the option and the variables are fixed): decided once per origin.
    let route = this.#routes.get(url.origin);
    if (!route) {
      route = this.#routeOf(url);
      this.#routes.set(url.origin, route);
    }
    return route;
  }

  #httpsAgent(): https.Agent {
    this.#https ??= this.#pooled(new (nodeHttps().Agent)(this.#agentOptions));
    return this.#https;
  }

  #routeOf(url: URL): Route {
    if (this.#appAgent) return { agent: this.#appAgent, proxy: undefined };
    const proxy = proxyFor(url, this.#proxyOption, this.#env);
    if (url.protocol !== "https:") return { agent: this.http, proxy };
    if (!proxy) return { agent: this.#httpsAgent(), proxy };
    const key = `${proxy.host}:${proxy.port}:${proxy.authorization ?? ""}`;
    const agent = this.#tunnels.get(key) ?? this.#pooled(tunnelAgent(proxy, this.#agentOptions));
    this.#tunnels.set(key, agent);
    return { agent, proxy };
  }

  /** Records what an answer says about its connection (called by the transport when the headers arrive). */
  noteAnswer(socket: Socket, headers: http.IncomingHttpHeaders): void {
    const facts = this.#facts.get(socket);
    if (!facts) return;
    const connection = headers.connection?.toLowerCase() ?? "";
    const header = headers["keep-alive"];
    const keepAlive = Array.isArray(header) ? header.join(", ") : header;
    facts.announced = connection.includes("keep-alive") || keepAlive !== undefined;
    const timeout = keepAlive === undefined ? undefined : /(?:^|[\s,])timeout=(\d+)/i.exec(keepAlive)?.[1];
    facts.hintMs = timeout === undefined ? undefined : Number(timeout) * 1000 - 1000;
  }

  /**
   * A pooled socket failed before any answer byte: if it had been idle only briefly, its server closes after each
   * answer, and the pool stops keeping its sockets for a while.
   */
  noteStale(socket: Socket, idleMs: number): void {
    const facts = this.#facts.get(socket);
    if (facts && idleMs < CLOSES_AFTER_ANSWER_MS) this.#learn(facts.name, 0);
  }

  /** How long `socket` had been idle when it was handed out, or undefined for a new one. */
  idleMs(socket: Socket): number | undefined {
    return this.#facts.get(socket)?.idleWhenHandedOut;
  }

  /** Whether a socket handed out for reuse may carry a request (`freshOnly`: a non-idempotent one). */
  usable(socket: Socket, freshOnly: boolean): boolean {
    const facts = this.#facts.get(socket);
    // A socket of the app's agent: that agent's rules decide its reuse.
    if (!facts) return this.#appAgent !== undefined && !isClosing(socket);
    if (isClosing(socket)) return false;
    const idle = facts.freedAt === undefined ? facts.idleWhenHandedOut : performance.now() - facts.freedAt;
    if (idle >= this.#idleBound(facts)) return false;
    return !freshOnly || (facts.announced && idle < (facts.hintMs ?? FRESH_MS));
  }

  /** Closes idle sockets now, and busy ones when their call ends. */
  closeIdle(): void {
    for (const agent of this.#agents() as unknown as AgentInternals[]) {
      for (const list of Object.values(agent.sockets)) for (const socket of list ?? []) this.#retiring.add(socket);
      for (const list of Object.values(agent.freeSockets)) for (const socket of [...(list ?? [])]) socket.destroy();
    }
  }

  /** Destroys every socket, busy ones included. */
  destroy(): void {
    for (const agent of this.#agents()) agent.destroy();
  }

  #agents(): http.Agent[] {
    return [this.http, ...(this.#https ? [this.#https] : []), ...this.#tunnels.values()];
  }

  #idleBound(facts: SocketFacts): number {
    let bound = this.#keepAliveMs;
    if (facts.hintMs !== undefined) bound = Math.min(bound, facts.hintMs);
    const learnt = this.#learnt.get(facts.name);
    if (learnt && learnt.idleCloseUntil > Date.now()) bound = Math.min(bound, learnt.idleCloseMs * LEARNT_IDLE_MARGIN);
    return bound;
  }

  #learn(name: string, idleMs: number): void {
    const now = Date.now();
    const learnt = this.#learnt.get(name) ?? { closesAfterAnswerUntil: 0, idleCloseMs: Infinity, idleCloseUntil: 0 };
    if (idleMs < CLOSES_AFTER_ANSWER_MS) learnt.closesAfterAnswerUntil = now + LEARNT_FOR_MS;
    else {
      learnt.idleCloseMs = learnt.idleCloseUntil > now ? Math.min(learnt.idleCloseMs, idleMs) : idleMs;
      learnt.idleCloseUntil = now + LEARNT_FOR_MS;
    }
    this.#learnt.set(name, learnt);
  }

  /** Called by the agent when a socket could go back to the pool; false closes it instead. */
  #keep(socket: Socket): boolean {
    const facts = this.#facts.get(socket);
    if (!facts || this.#retiring.has(socket)) return false;
    if ((this.#learnt.get(facts.name)?.closesAfterAnswerUntil ?? 0) > Date.now()) return false;
    const bound = this.#idleBound(facts);
    if (bound <= 0) return false;
    socket.setTimeout(bound);
    facts.freedAt = performance.now();
    return true;
  }

  /** First sight of a socket: remember its origin, and learn from the peer closing it while idle. */
  /**
   * Called by the transport when `agent` hands a request its socket (before it decides whether the socket is
   * usable): the socket's facts, from its first sight on. Sockets of the app's own agent are not tracked.
   */
  adopt(socket: Socket, agent: http.Agent, options: http.RequestOptions): void {
    if (agent === this.#appAgent) return;
    const facts = this.#facts.get(socket);
    if (facts) {
      // Handed out again (or straight to a queued request, never having been idle).
      facts.idleWhenHandedOut = facts.freedAt === undefined ? 0 : performance.now() - facts.freedAt;
      facts.freedAt = undefined;
      return;
    }
    const name = (agent as unknown as AgentInternals).getName(options);
    const fresh: SocketFacts = { name, announced: false, hintMs: undefined, freedAt: undefined, idleWhenHandedOut: 0 };
    this.#facts.set(socket, fresh);
    socket.on("end", () => {
      if (fresh.freedAt !== undefined) this.#learn(name, performance.now() - fresh.freedAt);
    });
  }

  #pooled<A extends http.Agent>(agent: A): A {
    const internals = agent as unknown as AgentInternals;
    const baseKeep = internals.keepSocketAlive.bind(agent);
    const baseAdd = internals.addRequest.bind(agent);
    internals.keepSocketAlive = (socket) => baseKeep(socket) !== false && this.#keep(socket);
    internals.addRequest = (req, options) => {
      const name = internals.getName(options);
      const hidden = this.#hideUnusable(internals, name, options);
      try {
        baseAdd(req, options);
      } finally {
        if (hidden.length) {
          internals.freeSockets[name] ??= [];
          internals.freeSockets[name].push(...hidden);
        }
      }
    };
    return agent;
  }

  /**
   * Takes out of the free list what this request must not get: closing or expired sockets (destroyed), and for a
   * request that needs a new or a fresh socket, the others (put back once the agent has chosen).
   */
  #hideUnusable(agent: AgentInternals, name: string, options: Record<string | symbol, unknown>): Socket[] {
    const free = agent.freeSockets[name];
    const hidden: Socket[] = [];
    if (!free?.length) return hidden;
    const newOnly = options[NEW_SOCKET] === true;
    const freshOnly = options[FRESH_ONLY] === true;
    for (let i = free.length - 1; i >= 0; i--) {
      const socket = free[i]!;
      if (isClosing(socket) || !this.usable(socket, false)) {
        free.splice(i, 1);
        socket.destroy();
      } else if (newOnly || !this.usable(socket, freshOnly)) {
        free.splice(i, 1);
        hidden.push(socket);
      }
    }
    return hidden;
  }
}

/** The peer has closed it, or it is being torn down. */
export function isClosing(socket: Socket): boolean {
  return socket.destroyed || socket.readableEnded || !socket.writable;
}
