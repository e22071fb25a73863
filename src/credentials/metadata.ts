/**
 * `fromCvmRole`: the temporary credentials of the CAM role bound to a CVM instance, from its metadata service
 * (http://metadata.tencentyun.com): `GET /latest/meta-data/cam/security-credentials/` names the role (asked once
 * per provider), `GET …/<role>` answers its credentials. Also the default chain's last step, which takes a
 * metadata service that does not answer, or names no role, for "no credentials here" (`find`).
 *
 * Each request goes over the SDK's node:http transport, direct (no proxy: the service is the instance's own), and
 * is bounded from connecting to the last byte by `timeoutMs` (1 s by default: a laptop has no such service and
 * must not wait).
 */
import { CccConfigError, CccConnectionError, CccTimeoutError } from "../errors.js";
import { createNodeTransport, type NodeTransport, type WireAnswer } from "../transport.js";
import { checkEndpoint, checkObject, checkTimeoutOption, temporaryCredentials } from "./temporary.js";
import type { Credentials, CvmRoleOptions, EnvironmentVariables } from "./types.js";

const DEFAULT_ENDPOINT = "http://metadata.tencentyun.com";
const ENDPOINT_VARIABLE = "TENCENTCLOUD_METADATA_ENDPOINT";
const ROLE_PATH = "/latest/meta-data/cam/security-credentials/";
const DEFAULT_TIMEOUT_MS = 1_000;
/** A role name or its credentials are well under 8 KB; more is not the metadata service. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** What a CAM role name holds (it becomes a path segment). */
const ROLE_NAME = /^[\w+=,.@-]{1,128}$/;
const WHAT = "the instance metadata request";

/** Why the metadata at `where` gave no credentials: no service answered there, or it names no role. */
export interface Absent {
  readonly where: string;
  readonly why: string;
}

/** Refuses options that are not an object of a role name, an endpoint and a timeout. */
export function checkCvmRoleOptions(options: Omit<CvmRoleOptions, "env"> | undefined, prefix: string): void {
  checkObject(options, `${prefix}options`, true);
  const role: unknown = options?.roleName;
  if (role !== undefined && (typeof role !== "string" || !ROLE_NAME.test(role)))
    throw new CccConfigError(
      `${prefix}roleName must be 1 to 128 letters, digits or _+=,.@-, got ${JSON.stringify(role)}`,
    );
  checkEndpoint(options?.endpoint, prefix, "http");
  checkTimeoutOption(options?.timeoutMs, `${prefix}timeoutMs`, DEFAULT_TIMEOUT_MS);
}

/** The metadata of one provider: where it is, its role (once known), and the two requests. */
export class CvmRoleSource {
  readonly #options: CvmRoleOptions;
  readonly #fn: string;
  readonly #endpoint: URL | undefined;
  readonly #timeoutMs: number;
  /** The role the metadata named, remembered; forgotten when the metadata no longer has it. */
  #lookedUp: string | undefined;
  #transport: NodeTransport | undefined;

  /** `fn` names the provider in messages; `prefix` leads the messages of bad options. */
  constructor(options: CvmRoleOptions, fn: string, prefix: string) {
    checkCvmRoleOptions(options, prefix);
    if (options.env !== undefined && (options.env === null || typeof options.env !== "object"))
      throw new CccConfigError(`${prefix}env must be an object of environment variables`);
    this.#options = options;
    this.#fn = fn;
    this.#endpoint = checkEndpoint(options.endpoint, prefix, "http");
    this.#timeoutMs = checkTimeoutOption(options.timeoutMs, `${prefix}timeoutMs`, DEFAULT_TIMEOUT_MS);
  }

  /** The option's endpoint, else `TENCENTCLOUD_METADATA_ENDPOINT`, else metadata.tencentyun.com. */
  #origin(env: EnvironmentVariables): URL {
    if (this.#endpoint) return this.#endpoint;
    const variable = env[ENDPOINT_VARIABLE]?.trim();
    return variable ? checkEndpoint(variable, `${ENDPOINT_VARIABLE}: `, "http")! : new URL(DEFAULT_ENDPOINT);
  }

  /**
   * One GET of `path` at `origin`: the answer, or why no metadata service is there (it did not answer, or could
   * not be reached).
   */
  async #ask(origin: URL, path: string): Promise<WireAnswer | Absent> {
    this.#transport ??= createNodeTransport({ proxy: false });
    try {
      return await this.#transport.send({
        action: WHAT,
        method: "GET",
        url: new URL(path, origin),
        headers: {},
        body: "",
        replayable: true,
        timeoutMs: this.#timeoutMs,
        maxResponseBytes: MAX_ANSWER_BYTES,
      });
    } catch (error) {
      if (error instanceof CccTimeoutError)
        return { where: origin.origin, why: `did not answer within ${error.timeoutMs} ms` };
      if (error instanceof CccConnectionError)
        return { where: origin.origin, why: `could not be reached: ${error.code ?? "the connection failed"}` };
      throw new CccConfigError(`${this.#fn}: the instance metadata at ${origin.origin}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** The role's credentials, or why this instance has none (no metadata service answered, or no role bound). */
  async find(): Promise<Credentials | Absent> {
    const origin = this.#origin(this.#options.env ?? process.env);
    let role = this.#options.roleName ?? this.#lookedUp;
    if (role === undefined) {
      const named = await this.#lookUpRole(origin);
      if (typeof named !== "string") return named;
      role = this.#lookedUp = named;
    }
    return this.#credentials(origin, role);
  }

  /** `find`, with "none here" as a `CccConfigError`: the provider. */
  readonly provider = async (): Promise<Credentials> => {
    const found = await this.find();
    if ("why" in found)
      throw new CccConfigError(
        `${this.#fn}: no credentials from the instance metadata at ${found.where}: it ${found.why}`,
      );
    return found;
  };

  /** The name of the role bound to the instance, or why there is none. */
  async #lookUpRole(origin: URL): Promise<string | Absent> {
    const answer = await this.#ask(origin, ROLE_PATH);
    if ("why" in answer) return answer;
    const where = origin.origin;
    if (answer.status === 404) return { where, why: "has no CAM role bound to this instance (HTTP 404)" };
    if (answer.status !== 200)
      throw new CccConfigError(
        `${this.#fn}: the instance metadata at ${where} answered HTTP ${answer.status} to the role lookup`,
      );
    const name = answer.body.split(/\r?\n/)[0]!.trim();
    return ROLE_NAME.test(name)
      ? name
      : { where, why: "answered the role lookup with something that is not a role name" };
  }

  async #credentials(origin: URL, role: string): Promise<Credentials | Absent> {
    const at = `${this.#fn}: the instance metadata at ${origin.origin}`;
    const answer = await this.#ask(origin, `${ROLE_PATH}${encodeURIComponent(role)}`);
    if ("why" in answer) return answer;
    if (answer.status === 404) {
      if (role === this.#lookedUp) this.#lookedUp = undefined; // the role changed: look it up again next time
      throw new CccConfigError(`${at} has no role "${role}" (HTTP 404)`);
    }
    if (answer.status !== 200) throw new CccConfigError(`${at} answered HTTP ${answer.status} for role "${role}"`);
    let json: unknown;
    try {
      json = JSON.parse(answer.body);
    } catch {
      throw new CccConfigError(`${at} answered role "${role}" with something that is not JSON`);
    }
    if (json === null || typeof json !== "object")
      throw new CccConfigError(`${at} answered role "${role}" with something that is not JSON`);
    const code = (json as { Code?: unknown }).Code;
    if (code !== "Success")
      throw new CccConfigError(
        `${at} answered Code ${typeof code === "string" && /^[\w.-]{0,64}$/.test(code) ? `"${code}"` : 'other than "Success"'} for role "${role}"`,
      );
    return temporaryCredentials(json, `${at}: the credentials of role "${role}"`);
  }
}

/**
 * A provider of the temporary credentials of the CAM role bound to this CVM instance, from its metadata service.
 * Each call asks for them anew (the role's name is asked once), with `expiresAt`: give the provider to a client
 * and they are refreshed before they expire. Failures (no metadata service answering within `timeoutMs`, no role
 * bound, another role, an answer without credentials) are `CccConfigError`s saying which, never a secret.
 */
export function fromCvmRole(options: CvmRoleOptions = {}): () => Promise<Credentials> {
  return new CvmRoleSource(options, "fromCvmRole", "fromCvmRole: ").provider;
}
