/**
 * What the web build (codegen/build-dist.ts) puts where Node's other modules are imported (node:http, node:https,
 * node:net, node:tls, node:fs/promises, node:os, node:path): every use fails saying what to do instead. The client
 * needs none of them with a `fetch` option and `credentials`; the default transport, proxies and the credentials
 * file are Node's.
 */
const unavailable =
  (what: string): (() => never) =>
  () => {
    throw new Error(
      `ccc-sdk: ${what} needs Node.js; in this runtime pass the client a \`fetch\` option and \`credentials\``,
    );
  };

/** Classes the modules extend at load time (an https.Agent subclass): defined, unusable. */
class Unavailable {
  constructor() {
    unavailable("the default transport")();
  }
}

/**
 * Called by the client at construction when it has no `fetch` (src/transport.ts, checkNodeTransport): the error
 * comes then, not at the first call.
 */
const NODE_ONLY: unique symbol = Symbol.for("ccc-sdk.nodeOnly");

const module: Record<string | symbol, unknown> = new Proxy(
  { Agent: Unavailable, [NODE_ONLY]: unavailable("the default transport") } as Record<string | symbol, unknown>,
  {
    get: (target: Record<string | symbol, unknown>, name) =>
      name in target ? target[name] : unavailable(`node's ${String(name)}`),
  },
);

export default module;
export const Agent: typeof Unavailable = Unavailable;
export const request: () => never = unavailable("the default transport");
export const connect: () => never = unavailable("the default transport");
export const readFile: () => never = unavailable("the credentials file");
export const stat: () => never = unavailable("the credentials file");
export const homedir: () => never = unavailable("the credentials file");
export const join: () => never = unavailable("the credentials file");
export const resolve: () => never = unavailable("the credentials file");
/** node:module's: the loader of src/builtins.ts, whose every load fails. */
export const createRequire: () => () => never = () => unavailable("the default transport");
