/**
 * ccc-sdk/push: receiving the data CCC pushes to your URL (call records, recordings, voicemail), framework-neutral.
 * `createPushHandler` takes a web `Request` and answers a `Response` CCC understands; `toNodeHandler` serves it from
 * `node:http`, Express or Fastify; `createTokenEndpoint` is the token URL of the OAuth 2.0 mode.
 *
 * ```ts
 * import http from "node:http";
 * import { createPushHandler, toNodeHandler } from "ccc-sdk/push";
 *
 * const push = createPushHandler({
 *   auth: { basic: { username: "ccc", password: process.env.PUSH_PASSWORD ?? "" } },
 *   onCdr: async (cdr, { pushId }) => console.log(pushId, cdr.SessionId, cdr.Duration),
 * });
 * http.createServer(toNodeHandler(push)).listen(8080);
 * ```
 *
 * The composition root of the push handler: it hands the generated push definitions to the runtime.
 */
import { pushes, type Pushes } from "../../generated/pushes/index.js";
import { createHandlerFor, type PushHandlerOptionsFor, type RequestHandler } from "./handler.js";

// Every push spec/pushes/ declares: its payload type (`CdrPush`), its definition, and `pushes`, all of them by name.
export * from "../../generated/pushes/index.js";
export type { PayloadOf, PushDefinition, Pushed, PushPayload } from "../action.js";
export type { PushAuth } from "./auth.js";
export {
  CccPushError,
  DEFAULT_MAX_PUSH_BYTES,
  type PushContext,
  type PushHandlerSettings,
  type PushListeners,
  type RequestHandler,
} from "./handler.js";
export { type NodeRequest, type NodeRequestListener, type NodeResponse, toNodeHandler } from "./node.js";
export { ACCEPTED, PUSH_REFUSALS, type PushRefusal, type PushReply } from "./reply.js";
export { createMemorySeenStore, type MemorySeenStoreOptions, type SeenStore } from "./seen.js";
export { createTokenEndpoint, type TokenClient, type TokenEndpoint, type TokenEndpointOptions } from "./token.js";

/** The options of `createPushHandler`: `auth`, a handler per push (`onCdr`, `onRecord`, `onVoicemail`), and more. */
export type PushHandlerOptions = PushHandlerOptionsFor<Pushes>;

/**
 * The handler of CCC's data pushes: give it `auth` (as set in CCC's console) and a handler for each push you take;
 * it answers every request as CCC expects (`{"ErrCode":0,"ErrMsg":""}` once your handler succeeded). A wrong option
 * is a TypeError at once.
 */
export function createPushHandler(options: PushHandlerOptions): RequestHandler {
  return createHandlerFor(pushes, options);
}
