/**
 * STS (sts.tencentcloudapi.com, API 2018-08-13) as the role providers call it, and `fromStsAssumeRole`.
 *
 * `AssumeRole` is signed with TC3 for service `sts` by the SDK's signer; `AssumeRoleWithWebIdentity` is sent
 * unsigned, `Authorization: SKIP` and no token, as STS documents it and Tencent's SDKs send it. One attempt per
 * call over the SDK's node:http(s) transport (proxy variables honoured, a dead pooled socket replaced), the answer
 * read as every Tencent answer is (src/interpret.ts). A failure is a `CccConfigError` naming the provider, the
 * action, the role and the endpoint, with STS's code and RequestId; the known secrets (the signing token, the web
 * identity token) are cut from what STS says, and no body of an unreadable answer is kept.
 */
import type { ActionDefinition, ServiceDefinition } from "../action.js";
import { CccConfigError, CccError, CccResponseError, CccSdkError } from "../errors.js";
import { interpret } from "../interpret.js";
import { checkRegion } from "../options.js";
import { Tc3Signer } from "../signer.js";
import { createNodeTransport, type NodeTransport } from "../transport.js";
import { CredentialsCache } from "./cache.js";
import { checkCredentials, redactText } from "./check.js";
import {
  checkDuration,
  checkEndpoint,
  checkObject,
  checkSessionName,
  checkString,
  checkTimeoutOption,
  temporaryCredentials,
  type TemporaryAnswer,
} from "./temporary.js";
import type { Credentials, StsAssumeRoleOptions, StsEndpointOptions } from "./types.js";

type StsAction = "AssumeRole" | "AssumeRoleWithWebIdentity";

const STS: ServiceDefinition = {
  name: "sts",
  version: "2018-08-13",
  endpoints: { default: "sts.tencentcloudapi.com", international: "sts.intl.tencentcloudapi.com" },
  retry: {},
  client: "ccc-sdk",
};
const DEFAULT_TIMEOUT_MS = 10_000;
/** An STS answer is a few KB; anything far larger is not one. */
const MAX_ANSWER_BYTES = 1024 * 1024;
const CONTENT_TYPE = "application/json";
/** How long role credentials last when no `durationSeconds` is given (STS's default, and Tencent's SDKs'). */
export const DEFAULT_DURATION_SECONDS = 7200;
/** After these codes the credentials that signed `AssumeRole` are forgotten, so the source is asked again. */
const REFUSED_SOURCE = new Set(["AuthFailure.SecretIdNotFound", "AuthFailure.TokenFailure"]);

export interface StsCall {
  readonly action: StsAction;
  readonly params: Readonly<Record<string, string | number>>;
  readonly region: string;
  /** Signs the call; undefined sends it unsigned (`Authorization: SKIP`). */
  readonly credentials: Credentials | undefined;
  /** The role, for messages. */
  readonly roleArn: string;
  /** Secrets the call carries, cut from any message of its failure. */
  readonly secrets: readonly (string | undefined)[];
}

/** Where a provider's STS calls go: the checked endpoint and timeout, and the transport, made on the first call. */
export class StsEndpoint {
  readonly #url: URL;
  readonly #timeoutMs: number;
  readonly #fn: string;
  readonly #signer = new Tc3Signer();
  #transport: NodeTransport | undefined;

  /** `prefix` leads the messages of bad options (`fromOidc: `); `fn` names the provider in failures. */
  constructor(options: StsEndpointOptions, fn: string, prefix: string) {
    this.#url = checkEndpoint(options.endpoint, prefix, "https") ?? new URL(`https://${STS.endpoints.default}`);
    this.#timeoutMs = checkTimeoutOption(options.timeoutMs, `${prefix}timeoutMs`, DEFAULT_TIMEOUT_MS);
    this.#fn = fn;
  }

  /** Temporary credentials from one STS call, or a `CccConfigError` saying what failed. */
  async credentials(call: StsCall): Promise<Credentials> {
    const what = `${call.action} of ${call.roleArn} at ${this.#url.origin}`;
    let answer: Record<string, unknown>;
    try {
      answer = await this.#send(call);
    } catch (error) {
      throw failure(`${this.#fn}: ${what} failed`, error, call.secrets);
    }
    const {
      Credentials: issued,
      ExpiredTime,
      Expiration,
    } = answer as { Credentials?: TemporaryAnswer } & TemporaryAnswer;
    return temporaryCredentials(
      { ...(issued ?? {}), ExpiredTime, Expiration },
      `${this.#fn}: the ${call.action} answer`,
    );
  }

  async #send(call: StsCall): Promise<Record<string, unknown>> {
    const body = JSON.stringify(call.params);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      "Content-Type": CONTENT_TYPE,
      "X-TC-Action": call.action,
      "X-TC-Version": STS.version,
      "X-TC-Region": call.region,
      "X-TC-Timestamp": String(timestamp),
      "X-TC-RequestClient": STS.client,
    };
    const signing = call.credentials;
    if (signing) {
      if (signing.token) headers["X-TC-Token"] = signing.token;
      headers.Authorization = this.#signer.authorization({
        secretId: signing.secretId,
        secretKey: signing.secretKey,
        service: STS.name,
        host: this.#url.host,
        action: call.action,
        contentType: CONTENT_TYPE,
        payload: body,
        timestamp,
      });
    } else headers.Authorization = "SKIP";
    this.#transport ??= createNodeTransport();
    const answer = await this.#transport.send({
      action: call.action,
      url: this.#url,
      headers,
      body,
      replayable: true, // asking for credentials twice changes nothing
      timeoutMs: this.#timeoutMs,
      maxResponseBytes: MAX_ANSWER_BYTES,
    });
    const definition: ActionDefinition = { name: call.action, path: `/#${call.action}`, idempotent: true, input: {} };
    return interpret(STS, definition, answer) as Record<string, unknown>;
  }
}

/**
 * `what` failed because of `error`, as a `CccConfigError` whose message and cause hold none of `secrets`: STS's
 * own message with them cut, an unreadable answer without its body (it may hold a half-written TmpSecretKey).
 */
function failure(what: string, error: unknown, secrets: readonly (string | undefined)[]): CccConfigError {
  if (error instanceof CccError) {
    const message = redactText(error.apiMessage, secrets);
    const cause = new CccError({
      action: error.action,
      code: error.code,
      message,
      requestId: error.requestId,
      httpStatus: error.httpStatus,
      retryable: error.retryable,
    });
    return new CccConfigError(`${what}: ${error.code}: ${message} (RequestId ${error.requestId})`, { cause });
  }
  if (error instanceof CccResponseError) {
    const message = `the answer (HTTP ${error.httpStatus}) is not a complete Tencent Cloud answer`;
    const cause = new CccResponseError(`${error.action}: ${message}`, {
      action: error.action ?? "",
      httpStatus: error.httpStatus,
      body: "",
      retryable: error.retryable,
    });
    return new CccConfigError(`${what}: ${message}`, { cause });
  }
  if (error instanceof CccSdkError) return new CccConfigError(`${what}: ${error.message}`, { cause: error });
  throw error; // a bug here, not a failure to report
}

/** A source of signing credentials: a cache of the provider, or the fixed pair. */
interface Source {
  readonly get: () => Credentials | Promise<Credentials>;
  readonly invalidate: (failed: Credentials) => void;
}

function sourceOf(source: unknown, name: string): Source {
  if (typeof source === "function") return new CredentialsCache(source as () => Credentials);
  if (source === null || typeof source !== "object")
    throw new CccConfigError(`${name} must be credentials { secretId, secretKey, token? } or a provider function`);
  const fixed = checkCredentials(source as Credentials, name);
  return { get: () => fixed, invalidate: () => undefined };
}

/**
 * A provider of a CAM role's temporary credentials, from STS `AssumeRole` signed by `source` (credentials, or a
 * provider: cached, refreshed before it expires, and asked again after STS refuses what it gave). Each call asks
 * STS for new credentials, with `expiresAt`: give the provider to a client (or a `CredentialsCache`) and they are
 * refreshed before they expire. Options are checked at once; failures are `CccConfigError`s naming the role, the
 * endpoint and what STS answered, never a secret.
 */
export function fromStsAssumeRole(options: StsAssumeRoleOptions): () => Promise<Credentials> {
  const fn = "fromStsAssumeRole";
  const prefix = `${fn}: `;
  checkObject(options, `${fn}: options`, false);
  const roleArn = checkString(options.roleArn, `${prefix}roleArn`);
  if (roleArn === undefined) throw new CccConfigError(`${prefix}roleArn must be a non-empty string`);
  const sessionName = checkSessionName(options.sessionName, `${prefix}sessionName`);
  if (sessionName === undefined) throw new CccConfigError(`${prefix}sessionName must be given`);
  const durationSeconds =
    checkDuration(options.durationSeconds, `${prefix}durationSeconds`) ?? DEFAULT_DURATION_SECONDS;
  const region = checkRegion(options.region, `${prefix}region`) ?? "ap-guangzhou";
  const source = sourceOf(options.source, `${prefix}source`);
  const sts = new StsEndpoint(options, fn, prefix);
  return async () => {
    let signing: Credentials;
    try {
      signing = await source.get();
    } catch (error) {
      throw new CccConfigError(
        `${prefix}no source credentials to sign AssumeRole with: ${(error as Error).message ?? String(error)}`,
        { cause: error },
      );
    }
    try {
      return await sts.credentials({
        action: "AssumeRole",
        params: { RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: durationSeconds },
        region,
        credentials: signing,
        roleArn,
        secrets: [signing.secretKey, signing.token],
      });
    } catch (error) {
      if (error instanceof CccConfigError && error.cause instanceof CccError && REFUSED_SOURCE.has(error.cause.code))
        source.invalidate(signing);
      throw error;
    }
  };
}
