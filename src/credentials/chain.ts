/**
 * The default credentials chain: the environment variables, else the profile file, else an error saying where it
 * looked.
 */
import { CccConfigError } from "../errors.js";
import { tryFromEnv } from "./env.js";
import { checkProfileOptions, fromProfile, profileFile } from "./profile.js";
import type { ProfileLocation } from "./profile-file.js";
import type { Credentials, CredentialsChainOptions, EnvironmentVariables } from "./types.js";

async function resolveChain(options: CredentialsChainOptions): Promise<Credentials> {
  const env = options.env ?? process.env;
  // A profile asked for by name wins over the environment variables (as `ccc --profile` does), and must exist.
  if (options.profile !== undefined) return fromProfile(options)();
  const fromEnvironment = tryFromEnv(env);
  if (fromEnvironment) return fromEnvironment;
  const { locate, loadProfile } = await profileFile();
  const where = locate(options, env);
  const fromFile = await loadProfile(where);
  if (fromFile) return fromFile;
  throw nothingFound(env, where);
}

/** The error of a chain that found nothing: what it looked at and why each place gave nothing. */
function nothingFound(env: EnvironmentVariables, where: ProfileLocation): CccConfigError {
  const id = Boolean(env.TENCENTCLOUD_SECRET_ID);
  const key = Boolean(env.TENCENTCLOUD_SECRET_KEY);
  const variables =
    id === key
      ? "not set"
      : `${id ? "TENCENTCLOUD_SECRET_ID" : "TENCENTCLOUD_SECRET_KEY"} is set but ${
          id ? "TENCENTCLOUD_SECRET_KEY" : "TENCENTCLOUD_SECRET_ID"
        } is not`;
  return new CccConfigError(
    `no credentials found. Looked at: the environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY ` +
      `(${variables}); the credentials file ${where.file}${where.fileSource} (does not exist). ` +
      "Pass `credentials: { secretId, secretKey }` or a provider function to the client, set both variables, " +
      `or create that file with a [${where.profile}] profile holding secret_id and secret_key.`,
  );
}

/**
 * The default credentials: with a `profile` option, that profile of the credentials file (an error when the file
 * or the profile is missing); otherwise the environment variables when `TENCENTCLOUD_SECRET_ID` and
 * `TENCENTCLOUD_SECRET_KEY` are both set (with `TENCENTCLOUD_SESSION_TOKEN`); otherwise the profile of the
 * credentials file (see `fromProfile`) if the file exists; otherwise a `CccConfigError` listing the places
 * looked at. An existing but broken file is an error, not a reason to fall through.
 *
 * Lazy: nothing is read until the first call. The credentials found are then remembered for the life of this
 * provider (the environment and the file are read once); a failure is not, so the next call looks again.
 */
export function defaultCredentialsChain(options: CredentialsChainOptions = {}): () => Promise<Credentials> {
  checkProfileOptions(options, "defaultCredentialsChain");
  let result: Promise<Credentials> | undefined;
  return () => {
    if (!result) {
      const resolving = resolveChain(options);
      result = resolving;
      resolving.catch(() => {
        if (result === resolving) result = undefined;
      });
    }
    return result;
  };
}
