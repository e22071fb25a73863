/**
 * `POST /` for STS (sts.tencentcloudapi.com, version 2018-08-13): `AssumeRole`, TC3-signed for service `sts` by a
 * credential the emulator accepts (issued temporary ones included), and `AssumeRoleWithWebIdentity`, unsigned
 * (`Authorization: SKIP`, as Tencent's SDKs send it) with a web identity token the emulator was given. Both answer
 * new temporary credentials (temporary.ts) that the emulator then accepts for CCC calls until they expire. The
 * calls are recorded like CCC's, the web identity token replaced by `***`; they play no faults.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Shape } from "../action.js";
import { validate } from "../validate.js";
import { parseApiBody } from "./api.js";
import { ApiError, apiErrorOf } from "./api-error.js";
import { Call } from "./call.js";
import { failInternally, header, MAX_BODY_BYTES, readBody, type Sender } from "./http.js";
import { recordedBody } from "./records.js";
import type { EmulatorState } from "./state.js";
import { answerMembers, MAX_LIFETIME_SECONDS } from "./temporary.js";
import type { RequestVerifier } from "./verify.js";

export const STS_VERSION = "2018-08-13";

const SESSION_NAME = { type: "string", required: true, pattern: "^[\\w+=,.@-]{2,128}$" } as const;
const DURATION = { type: "int64", minimum: 1, maximum: MAX_LIFETIME_SECONDS } as const;
const REQUIRED_STRING = { type: "string", required: true } as const;

/** The members of each action, as the STS pages list them. */
const ACTIONS: Readonly<Record<string, Shape>> = {
  AssumeRole: {
    RoleArn: REQUIRED_STRING,
    RoleSessionName: SESSION_NAME,
    DurationSeconds: DURATION,
    Policy: { type: "string" },
    ExternalId: { type: "string" },
    SourceIdentity: { type: "string" },
    Tags: {
      type: "model",
      list: true,
      model: () => ({ Key: REQUIRED_STRING, Value: REQUIRED_STRING }),
    },
  },
  AssumeRoleWithWebIdentity: {
    ProviderId: REQUIRED_STRING,
    WebIdentityToken: REQUIRED_STRING,
    RoleArn: REQUIRED_STRING,
    RoleSessionName: SESSION_NAME,
    DurationSeconds: DURATION,
  },
};

/**
 * Whether a `POST /` is for STS: it carries STS's version, or a Host naming sts (`sts.tencentcloudapi.com`). On
 * 127.0.0.1 the version is what tells the two services apart; every other call is CCC's.
 */
export function isStsCall(req: IncomingMessage): boolean {
  return header(req, "x-tc-version") === STS_VERSION || /^sts\./i.test(header(req, "host") ?? "");
}

/** The body as recorded: the web identity token's value replaced by `***`, the rest as received. */
function recordedStsBody(raw: Buffer): ReturnType<typeof recordedBody> {
  const text = raw.toString("utf8");
  const hidden = text.replace(/("WebIdentityToken"\s*:\s*")(?:[^"\\]|\\.)*"/g, '$1***"');
  return recordedBody(hidden === text ? raw : Buffer.from(hidden, "utf8"));
}

export interface StsDependencies {
  readonly state: EmulatorState;
  /** Checks `AssumeRole`'s TC3 signature, for the credential scope's service `sts`. */
  readonly verifier: RequestVerifier;
  readonly sender: Sender;
  /** The web identity token `AssumeRoleWithWebIdentity` accepts, by identity provider (`ProviderId`). */
  readonly webIdentityTokens: ReadonlyMap<string, string>;
}

export class StsHandler {
  readonly #deps: StsDependencies;

  constructor(deps: StsDependencies) {
    this.#deps = deps;
  }

  /** Serves one call; it answers its own internal errors (and records them). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const call = new Call(req, res, this.#deps.state, this.#deps.sender);
    try {
      await this.#serve(req, call);
    } catch (err) {
      failInternally(res, err, () => call.answerError("InternalError", "Emulator internal error."));
      call.commit("InternalError");
    }
  }

  async #serve(req: IncomingMessage, call: Call): Promise<void> {
    const read = await readBody(req, MAX_BODY_BYTES);
    if ("aborted" in read) {
      call.record.bodyBytes = read.bytes;
      call.commit("aborted");
      return;
    }
    if ("oversized" in read) {
      call.record.bodyBytes = read.bytes;
      call.answerError("RequestSizeLimitExceeded", `The request body exceeds the ${MAX_BODY_BYTES} byte limit.`);
      return;
    }
    Object.assign(call.record, recordedStsBody(read.buf));
    try {
      const action = header(req, "x-tc-action") ?? "";
      this.#authenticate(req, read.buf, call, action);
      const body = this.#check(req, action, read.buf.toString("utf8"));
      call.answer("ok", { Response: { ...this.#issue(action, body), RequestId: randomUUID() } });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      call.answerError(e.code, e.message);
    }
  }

  /** `AssumeRoleWithWebIdentity` needs no signature (SKIP or none); anything else is checked like every call. */
  #authenticate(req: IncomingMessage, raw: Buffer, call: Call, action: string): void {
    const authorization = header(req, "authorization");
    if (action === "AssumeRoleWithWebIdentity" && (authorization === undefined || authorization === "SKIP")) return;
    if (authorization === "SKIP")
      throw new ApiError("AuthFailure.InvalidAuthorization", `Action \`${action}\` must be signed.`);
    this.#deps.verifier.verify(req, raw, call.record);
  }

  /** The action and version known, the body valid for the action: the body. */
  #check(req: IncomingMessage, action: string, text: string): Record<string, unknown> {
    const shape = ACTIONS[action];
    if (!shape)
      throw new ApiError("InvalidAction", `The action \`${action}\` is not found for version ${STS_VERSION}.`);
    const version = header(req, "x-tc-version");
    if (version !== STS_VERSION)
      throw new ApiError(
        "NoSuchVersion",
        `The version \`${version}\` of action \`${action}\` is not supported (expected ${STS_VERSION}).`,
      );
    const body = parseApiBody(text);
    const violations = validate(shape, body, { maxBytes: Number.POSITIVE_INFINITY });
    if (violations.length) throw apiErrorOf(violations, body);
    return body;
  }

  /** The answer's members: new temporary credentials, once a web identity token is known to match. */
  #issue(action: string, body: Record<string, unknown>): Record<string, unknown> {
    if (action === "AssumeRoleWithWebIdentity") {
      const expected = this.#deps.webIdentityTokens.get(body.ProviderId as string);
      if (expected === undefined || expected !== body.WebIdentityToken)
        throw new ApiError(
          "InvalidParameter.WebIdentityTokenError",
          "The WebIdentityToken is not valid for this ProviderId.",
        );
    }
    const { state } = this.#deps;
    const issued = state.issued.issue(state.now(), body.DurationSeconds as number | undefined);
    const { ExpiredTime, Expiration, ...credentials } = answerMembers(issued);
    return { Credentials: credentials, ExpiredTime, Expiration };
  }
}
