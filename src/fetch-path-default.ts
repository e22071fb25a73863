/**
 * The fetch path a client has when its options name none: none on Node, so that an app which neither passes a
 * `fetch` nor calls `use()` bundles nothing of openapi-fetch. The web build (codegen/build-dist.ts) replaces this
 * module with src/web/fetch-path-default.ts: there every call goes through a `fetch`.
 */
import type { FetchPathLoader } from "./client.js";

export const defaultFetchPath: FetchPathLoader | undefined = undefined;
