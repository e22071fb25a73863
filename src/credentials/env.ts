/** Credentials from the standard environment variables. */
import { CccConfigError } from "../errors.js";
import { checkCredentials } from "./check.js";
import type { Credentials, EnvironmentVariables } from "./types.js";

/**
 * `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and optional `TENCENTCLOUD_SESSION_TOKEN`, or `undefined`
 * when either of the first two is unset or empty. Throws `CccConfigError` only when they are set but invalid
 * (a SecretId of spaces).
 */
export function tryFromEnv(env: EnvironmentVariables = process.env): Credentials | undefined {
  const secretId = env.TENCENTCLOUD_SECRET_ID;
  const secretKey = env.TENCENTCLOUD_SECRET_KEY;
  if (!secretId || !secretKey) return undefined;
  return checkCredentials(
    { secretId, secretKey, token: env.TENCENTCLOUD_SESSION_TOKEN || undefined },
    "the environment",
  );
}

/**
 * `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and optional `TENCENTCLOUD_SESSION_TOKEN`; throws
 * `CccConfigError` when either of the first two is unset or empty.
 */
export function fromEnv(env: EnvironmentVariables = process.env): Credentials {
  const credentials = tryFromEnv(env);
  if (!credentials)
    throw new CccConfigError(
      "no credentials: pass `credentials: { secretId, secretKey }` to the client or set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY",
    );
  return credentials;
}
