/**
 * The default credentials chain: the environment variables, else the profile file, else a TKE pod's OIDC
 * identity (when its variables are set), else the CVM instance metadata, else an error saying where it looked.
 */
import { CccConfigError } from "../errors.js";
import { tryFromEnv } from "./env.js";
import { type Absent, checkCvmRoleOptions, CvmRoleSource } from "./metadata.js";
import { checkOidcOptions, fromOidc, listed, type TkeSettings, tkeSettings } from "./oidc.js";
import { checkProfileOptions, fromProfile, profileFile } from "./profile.js";
import type { ProfileLocation } from "./profile-file.js";
import type { Credentials, CredentialsChainOptions, EnvironmentVariables } from "./types.js";

/** Where the chain found credentials: asked again on each later call of the chain (the same ones, or new ones). */
type Source = () => Credentials | Promise<Credentials>;

interface Found {
  readonly source: Source;
  readonly first: Credentials;
}

const fixed = (credentials: Credentials): Found => ({ source: () => credentials, first: credentials });

/** Calls `provider` once and keeps it as the source: its credentials expire and it is asked for new ones. */
async function expiring(provider: () => Promise<Credentials>): Promise<Found> {
  return { source: provider, first: await provider() };
}

async function resolveChain(options: CredentialsChainOptions): Promise<Found> {
  const env = options.env ?? process.env;
  // A profile asked for by name wins over the environment variables (as `ccc --profile` does), and must exist.
  if (options.profile !== undefined) return fixed(await fromProfile(options)());
  const fromEnvironment = tryFromEnv(env);
  if (fromEnvironment) return fixed(fromEnvironment);
  const { locate, loadProfile } = await profileFile();
  const where = locate(options, env);
  const fromFile = await loadProfile(where);
  if (fromFile) return fixed(fromFile);
  const looked = [variablesLooked(env), `the credentials file ${where.file}${where.fileSource} (does not exist)`];
  if (options.oidc !== false) {
    const tke = tkeSettings(options.oidc ?? {}, env);
    // All four set: this is a TKE pod meant to use its identity, and a failure is an error, not a reason to go on.
    if (!tke.missing.length) return expiring(fromOidc({ ...options.oidc, env }));
    looked.push(oidcLooked(tke));
  }
  if (options.cvmRole !== false) {
    const cvm = new CvmRoleSource({ ...options.cvmRole, env }, "fromCvmRole", "defaultCredentialsChain: cvmRole.");
    const found: Credentials | Absent = await cvm.find();
    if (!("why" in found)) return { source: cvm.provider, first: found };
    looked.push(`the CVM instance metadata at ${found.where} (${found.why})`);
  }
  throw nothingFound(looked, where);
}

/** The environment variables as looked at: not set, or which one of the two is missing. */
function variablesLooked(env: EnvironmentVariables): string {
  const id = Boolean(env.TENCENTCLOUD_SECRET_ID);
  const key = Boolean(env.TENCENTCLOUD_SECRET_KEY);
  const state =
    id === key
      ? "not set"
      : `${id ? "TENCENTCLOUD_SECRET_ID" : "TENCENTCLOUD_SECRET_KEY"} is set but ${
          id ? "TENCENTCLOUD_SECRET_KEY" : "TENCENTCLOUD_SECRET_ID"
        } is not`;
  return `the environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (${state})`;
}

/** The TKE variables as looked at: not set, or which are set and which are not. */
function oidcLooked(tke: TkeSettings): string {
  const missing: readonly string[] = tke.missing.map(([, variable]) => variable);
  const set = ["TKE_REGION", "TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN"].filter(
    (v) => !missing.includes(v),
  );
  const state = set.length
    ? `${listed(set)} ${set.length > 1 ? "are" : "is"} set but ${listed(missing)} ${missing.length > 1 ? "are" : "is"} not`
    : "not set";
  return `the TKE OIDC variables TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN (${state})`;
}

/** The error of a chain that found nothing: what it looked at and why each place gave nothing. */
function nothingFound(looked: readonly string[], where: ProfileLocation): CccConfigError {
  return new CccConfigError(
    `no credentials found. Looked at: ${looked.join("; ")}. ` +
      "Pass `credentials: { secretId, secretKey }` or a provider function to the client, set both variables, " +
      `or create that file with a [${where.profile}] profile holding secret_id and secret_key.`,
  );
}

/** Refuses chain options whose OIDC or instance metadata step is neither `false` nor good options. */
function checkSteps(options: CredentialsChainOptions): void {
  const fn = "defaultCredentialsChain";
  for (const [step, provider] of [
    ["oidc", "fromOidc"],
    ["cvmRole", "fromCvmRole"],
  ] as const) {
    const value: unknown = options[step];
    if (value !== undefined && value !== false && (value === null || typeof value !== "object"))
      throw new CccConfigError(`${fn}: ${step} must be an object of ${provider} options, or false`);
  }
  if (options.oidc) checkOidcOptions(options.oidc, `${fn}: oidc.`);
  if (options.cvmRole) checkCvmRoleOptions(options.cvmRole, `${fn}: cvmRole.`);
}

/**
 * The default credentials: with a `profile` option, that profile of the credentials file (an error when the file
 * or the profile is missing); otherwise, the first of
 *
 * 1. the environment variables, when `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY` are both set (with
 *    `TENCENTCLOUD_SESSION_TOKEN`);
 * 2. the profile of the credentials file (see `fromProfile`), if the file exists (a broken one is an error);
 * 3. a TKE pod's OIDC identity (see `fromOidc`), when `TKE_REGION`, `TKE_PROVIDER_ID`,
 *    `TKE_WEB_IDENTITY_TOKEN_FILE` and `TKE_ROLE_ARN` are all set (or given in `oidc`): its failure is an error;
 * 4. the role of this CVM instance (see `fromCvmRole`), when its metadata service answers within `timeoutMs`
 *    (1 s) and names a role: one that does not answer, or answers 404, means none;
 *
 * otherwise a `CccConfigError` listing the places looked at. `oidc: false` or `cvmRole: false` skips that step.
 *
 * Lazy: nothing is read until the first call. The place that had credentials is then remembered for the life of
 * this provider: the environment's or the file's credentials are returned again (both are read once), the OIDC
 * or instance role asked for new ones on each later call (a client calls again shortly before they expire). A
 * failure to find any is not remembered: the next call looks again.
 */
export function defaultCredentialsChain(options: CredentialsChainOptions = {}): () => Promise<Credentials> {
  checkProfileOptions(options, "defaultCredentialsChain");
  checkSteps(options);
  let source: Source | undefined;
  let pending: Promise<Credentials> | undefined;
  return () => {
    if (pending) return pending;
    const call = source
      ? Promise.resolve().then(source)
      : resolveChain(options).then((found) => {
          source = found.source;
          return found.first;
        });
    pending = call;
    const done = () => {
      if (pending === call) pending = undefined;
    };
    call.then(done, done);
    return call;
  };
}
