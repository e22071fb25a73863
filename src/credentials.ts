/** Credentials: a static pair, an async provider, or the standard environment variables. */
import { CccConfigError, INSPECT } from "./errors.js";

export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
  /** Session token of temporary credentials, sent as `X-TC-Token`. */
  readonly token?: string | undefined;
}

/** Called before requests; may return cached credentials. */
export type CredentialsProvider = () => Credentials | Promise<Credentials>;

export function checkCredentials(c: Credentials, source: string): Credentials {
  if (!c || typeof c !== "object")
    throw new CccConfigError(`credentials from ${source} must be an object with secretId and secretKey`);
  if (typeof c.secretId !== "string" || !c.secretId.trim())
    throw new CccConfigError(`credentials from ${source}: secretId is missing or empty`);
  if (typeof c.secretKey !== "string" || !c.secretKey)
    throw new CccConfigError(`credentials from ${source}: secretKey is missing or empty`);
  if (c.token !== undefined && typeof c.token !== "string")
    throw new CccConfigError(`credentials from ${source}: token must be a string`);
  return redacted({ secretId: c.secretId.trim(), secretKey: c.secretKey, ...(c.token ? { token: c.token } : {}) });
}

/**
 * Returns a copy whose secrets are not enumerable, so `JSON.stringify`, `console.log` and `util.inspect`
 * show only the SecretId.
 */
export function redacted(c: Credentials): Credentials {
  const out = { secretId: c.secretId } as Credentials;
  Object.defineProperty(out, "secretKey", { value: c.secretKey, enumerable: false });
  if (c.token !== undefined) Object.defineProperty(out, "token", { value: c.token, enumerable: false });
  Object.defineProperty(out, INSPECT, {
    value: () =>
      `Credentials { secretId: '${c.secretId}', secretKey: [redacted]${c.token ? ", token: [redacted]" : ""} }`,
    enumerable: false,
  });
  return Object.freeze(out);
}

/** `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and optional `TENCENTCLOUD_SESSION_TOKEN`. */
export function fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Credentials {
  const secretId = env.TENCENTCLOUD_SECRET_ID;
  const secretKey = env.TENCENTCLOUD_SECRET_KEY;
  if (!secretId || !secretKey)
    throw new CccConfigError(
      "no credentials: pass `credentials: { secretId, secretKey }` to the client or set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY",
    );
  return checkCredentials(
    { secretId, secretKey, token: env.TENCENTCLOUD_SESSION_TOKEN || undefined },
    "the environment",
  );
}
