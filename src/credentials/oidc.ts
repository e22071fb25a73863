/**
 * `fromOidc`: a TKE pod's OIDC identity exchanged for a CAM role's temporary credentials (STS
 * `AssumeRoleWithWebIdentity`, sent unsigned), and which of its four settings are there (the default chain takes
 * this step only when all are).
 */
import { nodeFsPromises } from "../builtins.js";
import { CccConfigError } from "../errors.js";
import { checkRegion } from "../options.js";
import { DEFAULT_DURATION_SECONDS, StsEndpoint } from "./sts.js";
import { checkDuration, checkObject, checkSessionName, checkString } from "./temporary.js";
import type { Credentials, EnvironmentVariables, OidcOptions } from "./types.js";

/** Each setting: its option, and the variable TKE's pod identity webhook sets for it. */
const SETTINGS = [
  ["region", "TKE_REGION"],
  ["providerId", "TKE_PROVIDER_ID"],
  ["webIdentityTokenFile", "TKE_WEB_IDENTITY_TOKEN_FILE"],
  ["roleArn", "TKE_ROLE_ARN"],
] as const;

type Setting = (typeof SETTINGS)[number][0];

/** The four settings where all are there, the ones missing otherwise; `from` says which came from a variable. */
export interface TkeSettings {
  readonly values: Partial<Record<Setting, string>>;
  /** The variable each value came from, when it did not come from an option. */
  readonly from: Partial<Record<Setting, string>>;
  readonly missing: readonly (typeof SETTINGS)[number][];
}

/** Each setting from its option, else from its variable in `env` (empty counts as not set). */
export function tkeSettings(options: Omit<OidcOptions, "env">, env: EnvironmentVariables): TkeSettings {
  const values: Partial<Record<Setting, string>> = {};
  const from: Partial<Record<Setting, string>> = {};
  const missing: (typeof SETTINGS)[number][] = [];
  for (const setting of SETTINGS) {
    const [option, variable] = setting;
    const given = options[option] ?? (env[variable]?.trim() || undefined);
    if (given === undefined) missing.push(setting);
    else {
      values[option] = given;
      if (options[option] === undefined) from[option] = variable;
    }
  }
  return { values, from, missing };
}

/** `a`, `a and b`, `a, b and c`. */
export function listed(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** Refuses options that are not strings where strings go, or a bad duration, session name or region. */
export function checkOidcOptions(options: Omit<OidcOptions, "env"> | undefined, prefix: string): void {
  checkObject(options, `${prefix}options`, true);
  if (!options) return;
  for (const [option] of SETTINGS) checkString(options[option], `${prefix}${option}`);
  checkRegion(options.region, `${prefix}region`);
  checkSessionName(options.sessionName, `${prefix}sessionName`);
  checkDuration(options.durationSeconds, `${prefix}durationSeconds`);
}

/** The token in `file` (whitespace around it trimmed), refused naming the file when unreadable or empty. */
async function readToken(file: string, from: string | undefined): Promise<string> {
  const where = `the web identity token file ${file}${from ? ` (from ${from})` : ""}`;
  let text: string;
  try {
    text = await nodeFsPromises().readFile(file, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    throw new CccConfigError(`fromOidc: cannot read ${where}${typeof code === "string" ? `: ${code}` : ""}`, {
      cause: error,
    });
  }
  const token = text.trim();
  if (!token) throw new CccConfigError(`fromOidc: ${where} is empty`);
  return token;
}

/**
 * A provider of a CAM role's temporary credentials for a TKE pod: STS `AssumeRoleWithWebIdentity` with the pod's
 * OIDC token. Each setting left out of `options` is read, when the provider is called, from the variable TKE sets:
 * `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` (the token file, read on every call since TKE
 * rotates it) and `TKE_ROLE_ARN`. Each call asks STS for new credentials, with `expiresAt`: give the provider to
 * a client and they are refreshed before they expire. Failures are `CccConfigError`s naming what is missing or
 * what STS answered, never the token.
 */
export function fromOidc(options: OidcOptions = {}): () => Promise<Credentials> {
  const prefix = "fromOidc: ";
  checkOidcOptions(options, prefix);
  if (options.env !== undefined && (options.env === null || typeof options.env !== "object"))
    throw new CccConfigError(`${prefix}env must be an object of environment variables`);
  const durationSeconds = options.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  const sts = new StsEndpoint(options, "fromOidc", prefix);
  return async () => {
    const { values, from, missing } = tkeSettings(options, options.env ?? process.env);
    if (missing.length) {
      const variables = listed(missing.map(([, variable]) => variable));
      const names = listed(missing.map(([option]) => option));
      throw new CccConfigError(
        `${prefix}${variables} ${missing.length > 1 ? "are" : "is"} not set (nor the option${missing.length > 1 ? "s" : ""} ${names})`,
      );
    }
    const region = checkRegion(values.region, `${prefix}${from.region ?? "region"}`)!;
    const token = await readToken(values.webIdentityTokenFile!, from.webIdentityTokenFile);
    const roleArn = values.roleArn!;
    return sts.credentials({
      action: "AssumeRoleWithWebIdentity",
      params: {
        ProviderId: values.providerId!,
        WebIdentityToken: token,
        RoleArn: roleArn,
        RoleSessionName: options.sessionName ?? `ccc-sdk-${Date.now()}`,
        DurationSeconds: durationSeconds,
      },
      region,
      credentials: undefined,
      roleArn,
      secrets: [token],
    });
  };
}
