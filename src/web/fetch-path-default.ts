/** The web build's src/fetch-path-default.ts: every call there goes through a `fetch`, so the fetch path is the default. */
import type { FetchPathLoader } from "../client.js";

export const defaultFetchPath: FetchPathLoader | undefined = () => import("../fetch-path.js");
