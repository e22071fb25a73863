/**
 * An app's own request headers (the `headers` option of the client and of a call): checked before anything is
 * sent, merged (the call's win), and the `X-TC-*` ones signed, as Tencent checks every header it is told is signed.
 */
import { CccConfigError } from "./errors.js";

/** Headers the SDK writes itself or the connection needs: an app's `headers` may not set them. */
const OWNED: ReadonlySet<string> = new Set([
  "authorization",
  "content-type",
  "content-length",
  "host",
  "x-tc-action",
  "x-tc-version",
  "x-tc-timestamp",
  "x-tc-token",
  "x-tc-region",
  "x-tc-language",
  "x-tc-requestclient",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "expect",
]);

/** RFC 9110 field name (a token). */
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A field value Node sends as is: no CR, LF or other control character (tab allowed). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Headers by lower-case name (HTTP names are case-insensitive: two spellings of one name are one header). */
export type HeaderMap = Readonly<Record<string, string>>;

/** Checks an app's `headers` option (`where` names it in errors); undefined when there are none. */
export function checkHeaders(value: unknown, where: string): HeaderMap | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new CccConfigError(`${where} must be an object of header names and string values`);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!FIELD_NAME.test(name)) throw new CccConfigError(`${where}: ${JSON.stringify(name)} is not a header name`);
    const lower = name.toLowerCase();
    if (OWNED.has(lower))
      throw new CccConfigError(
        `${where}: ${name} is set by the SDK itself and cannot be given (it is signed or sent for you)`,
      );
    if (typeof v !== "string") throw new CccConfigError(`${where}: ${name} must be a string`);
    if (!FIELD_VALUE.test(v)) throw new CccConfigError(`${where}: ${name} contains a line break or control character`);
    if (lower in out) throw new CccConfigError(`${where}: ${name} is given twice (header names ignore case)`);
    out[lower] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The client's headers with the call's over them. */
export function mergeHeaders(client: HeaderMap | undefined, call: HeaderMap | undefined): HeaderMap | undefined {
  if (!call) return client;
  if (!client) return call;
  return { ...client, ...call };
}

/** The headers of `headers` the signature covers: the `X-TC-*` ones; undefined when there are none. */
export function signedHeadersOf(headers: HeaderMap | undefined): HeaderMap | undefined {
  if (!headers) return undefined;
  const signed = Object.entries(headers).filter(([name]) => name.startsWith("x-tc-"));
  return signed.length ? Object.fromEntries(signed) : undefined;
}
