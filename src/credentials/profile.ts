/**
 * `fromProfile`: a provider reading a profile of Tencent's credentials file, and where that file and profile are
 * (the options, then the environment variables, then the defaults).
 */
import { CccConfigError } from "../errors.js";
import type { ProfileLocation } from "./profile-file.js";
import type { Credentials, ProfileOptions } from "./types.js";

/** Refuses options that are not an object of non-empty `profile` and `file` strings and an `env` object. */
export function checkProfileOptions(options: ProfileOptions, fn: string): void {
  if (options === null || typeof options !== "object") throw new CccConfigError(`${fn}: options must be an object`);
  for (const name of ["profile", "file"] as const) {
    const value: unknown = options[name];
    if (value !== undefined && (typeof value !== "string" || !value.trim()))
      throw new CccConfigError(`${fn}: ${name} must be a non-empty string`);
  }
  if (options.env !== undefined && (options.env === null || typeof options.env !== "object"))
    throw new CccConfigError(`${fn}: env must be an object of environment variables`);
}

/**
 * The module that reads the file (node:fs, node:os, node:path), loaded when a provider first runs: importing the
 * SDK, or a client given its credentials, loads none of them.
 */
export const profileFile = (): Promise<typeof import("./profile-file.js")> => import("./profile-file.js");

/**
 * A provider reading a profile of Tencent's credentials file:
 *
 * ```ini
 * [default]
 * secret_id = AKID…
 * secret_key = …
 * token = …          # optional, for temporary credentials
 * ```
 *
 * Nothing is read until the provider is called. The file is read asynchronously; the credentials are then
 * remembered by this provider per (file, profile) — later changes to the file are not seen (create a new
 * provider to re-read it). Failures are not remembered: the next call reads the file again. Errors are
 * `CccConfigError`s naming the file (and line, or profile) and never a value from the file.
 */
export function fromProfile(options: ProfileOptions = {}): () => Promise<Credentials> {
  checkProfileOptions(options, "fromProfile");
  const cache = new Map<string, Promise<Credentials>>();
  return async () => {
    const file = await profileFile();
    const where = file.locate(options, options.env ?? process.env);
    const key = `${where.file}\0${where.profile}`;
    let pending = cache.get(key);
    if (!pending) {
      const loading = requiredProfile(where, file.loadProfile);
      pending = loading;
      cache.set(key, loading);
      loading.catch(() => {
        if (cache.get(key) === loading) cache.delete(key);
      });
    }
    return pending;
  };
}

/** The profile's credentials; here a missing file is an error (the default chain falls through instead). */
async function requiredProfile(
  where: ProfileLocation,
  loadProfile: (where: ProfileLocation) => Promise<Credentials | undefined>,
): Promise<Credentials> {
  const credentials = await loadProfile(where);
  if (credentials) return credentials;
  throw new CccConfigError(
    `the credentials file ${where.file}${where.fileSource} does not exist; create it with a [${where.profile}] ` +
      "profile holding secret_id and secret_key, or pass `credentials: { secretId, secretKey }` to the client",
  );
}
