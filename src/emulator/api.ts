/**
 * `POST /`, answered like ccc.tencentcloudapi.com: the fault queued for the call, if any, then the body (held to
 * Tencent's size limit), the TC3 checks (verify.ts), the action, version and body against the spec (validate()),
 * and last the action's documented example with a fresh RequestId.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { validate } from "../validate.js";
import { ApiError, apiErrorOf } from "./api-error.js";
import { Call } from "./call.js";
import {
  failInternally,
  header,
  MAX_BODY_BYTES,
  MAX_BODY_NESTING,
  nestsDeeperThan,
  readBody,
  type Delays,
  type Sender,
} from "./http.js";
import { recordedBody } from "./records.js";
import { mergeState, pageOf } from "./scenarios.js";
import type { EmulatedService } from "./spec.js";
import type { EmulatorState } from "./state.js";
import type { Throttle } from "./throttle.js";
import type { QueuedFault } from "./types.js";
import type { RequestVerifier } from "./verify.js";

/** What a client learns of an emulator bug: nothing about it (the detail goes to stderr). */
const INTERNAL_ERROR_MESSAGE = "Emulator internal error.";

export interface ApiDependencies {
  readonly service: EmulatedService;
  readonly state: EmulatorState;
  readonly verifier: RequestVerifier;
  readonly sender: Sender;
  /** Where `delay` faults wait, so that closing the emulator ends the waits. */
  readonly delays: Delays;
  /** The `rateLimitPerSecond` limit: calls over it are answered `RequestLimitExceeded`. */
  readonly throttle: Throttle;
}

export class ApiHandler {
  readonly #service: EmulatedService;
  readonly #state: EmulatorState;
  readonly #verifier: RequestVerifier;
  readonly #sender: Sender;
  readonly #delays: Delays;
  readonly #throttle: Throttle;

  constructor(deps: ApiDependencies) {
    this.#service = deps.service;
    this.#state = deps.state;
    this.#verifier = deps.verifier;
    this.#sender = deps.sender;
    this.#delays = deps.delays;
    this.#throttle = deps.throttle;
  }

  /** Serves one call; it answers its own internal errors (and records them). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const call = new Call(req, res, this.#state, this.#sender);
    try {
      await this.#serve(req, res, call);
    } catch (err) {
      failInternally(res, err, () => call.answerError("InternalError", INTERNAL_ERROR_MESSAGE));
      call.commit("InternalError"); // recorded even when the answer had started (a no-op once answered)
    }
  }

  async #serve(req: IncomingMessage, res: ServerResponse, call: Call): Promise<void> {
    const fault = this.#state.takeFault(call.action);
    if (fault) call.record.fault = fault.type;
    if (fault?.type === "reset") {
      call.commit("fault:reset");
      req.socket.destroy();
      return;
    }
    const raw = await this.#readCallBody(req, call, fault);
    if (raw === undefined) return;
    if (await this.#playFault(req, res, call, fault)) return;
    this.#answer(req, raw, call, fault);
  }

  /** The body, kept in the record; undefined when the call ended instead (the client left, or it was too large). */
  async #readCallBody(req: IncomingMessage, call: Call, fault: QueuedFault | undefined): Promise<Buffer | undefined> {
    const read = await readBody(req, MAX_BODY_BYTES);
    if (!("buf" in read)) call.record.bodyBytes = read.bytes;
    if ("aborted" in read) {
      call.commit(read.oversized ? "RequestSizeLimitExceeded" : fault ? `fault:${fault.type}` : "aborted");
      return undefined;
    }
    if ("oversized" in read) {
      call.answerError("RequestSizeLimitExceeded", `The request body exceeds the ${MAX_BODY_BYTES} byte limit.`);
      return undefined;
    }
    Object.assign(call.record, recordedBody(read.buf));
    return read.buf;
  }

  /**
   * Plays a fault that takes the place of the answer, once the body is read; true when it ended the call. A
   * `delay` waits, then leaves the call to be answered normally (false) unless the client went away meanwhile.
   */
  async #playFault(
    req: IncomingMessage,
    res: ServerResponse,
    call: Call,
    fault: QueuedFault | undefined,
  ): Promise<boolean> {
    switch (fault?.type) {
      case "reset-after-read":
        call.commit("fault:reset-after-read");
        req.socket.destroy();
        return true;
      case "http":
        call.commit("fault:http");
        this.#sender.send(res, fault.status, fault.body, fault.contentType ?? "text/plain; charset=utf-8");
        return true;
      case "truncated": {
        const full = JSON.stringify(this.#successBody(call.action, randomUUID()));
        call.commit("fault:truncated");
        this.#sender.send(res, 200, full.slice(0, Math.floor(full.length / 2)));
        return true;
      }
      case "cut": {
        const full = Buffer.from(JSON.stringify(this.#successBody(call.action, randomUUID())));
        call.commit("fault:cut");
        res.writeHead(200, {
          "Content-Type": "application/json",
          "Content-Length": full.length,
          Date: this.#sender.date(),
        });
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.socket?.destroy());
        return true;
      }
      case "delay":
        if (await this.#delays.wait(res, fault.ms)) return false;
        call.commit("fault:delay"); // the client went away while waiting
        return true;
      default:
        return false;
    }
  }

  /**
   * The TC3 checks; then a scripted `error` fault, or the rate limit, the action, version and body checks and the
   * example.
   */
  #answer(req: IncomingMessage, raw: Buffer, call: Call, fault: QueuedFault | undefined): void {
    try {
      this.#verifier.verify(req, raw, call.record);
      if (fault?.type === "error") {
        call.answerError(fault.code, fault.message ?? `Scripted fault ${fault.code}.`, "fault:error");
        return;
      }
      this.#throttleCheck(call);
      const { name, body } = this.#check(req, raw.toString("utf8"));
      call.answer("ok", this.#scenarioBody(name, body, randomUUID()));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      call.answerError(e.code, e.message);
    }
  }

  /** Refuses a verified call over the rate limit of its SecretId and action, as Tencent does. */
  #throttleCheck(call: Call): void {
    const rate = this.#throttle.perSecond;
    if (rate === undefined || this.#throttle.admit(call.record.secretId ?? "", call.action ?? "")) return;
    throw new ApiError(
      "RequestLimitExceeded",
      `The requests of this action exceed the limit of ${rate} per second for this account. Please reduce the frequency of calls.`,
    );
  }

  /** Action, version, JSON body against the action's input shape; the action's name and the body. */
  #check(req: IncomingMessage, text: string): { name: string; body: Record<string, unknown> } {
    const service = this.#service;
    const name = header(req, "x-tc-action")!;
    const action = service.actions.get(name);
    if (!action)
      throw new ApiError("InvalidAction", `The action \`${name}\` is not found for version ${service.version}.`);
    const version = header(req, "x-tc-version");
    if (version !== service.version)
      throw new ApiError(
        "NoSuchVersion",
        `The version \`${version}\` of action \`${name}\` is not supported (expected ${service.version}).`,
      );
    const body = parseApiBody(text);
    // The raw body was held to the size limit already; its re-encoding is only for the rules.
    const violations = validate(action.input, body, { maxBytes: Number.POSITIVE_INFINITY });
    if (violations.length) throw apiErrorOf(violations, body);
    return { name, body };
  }

  /**
   * The answer of a call that passed every check: the action's next scripted state over the example, else a page
   * of its data set, else the example.
   */
  #scenarioBody(name: string, body: Record<string, unknown>, requestId: string): { Response: Record<string, unknown> } {
    const answer = this.#successBody(name, requestId);
    const state = this.#state.takeState(name);
    if (state) return { Response: { ...mergeState(answer.Response, state), RequestId: requestId } };
    const data = this.#state.dataSet(name);
    const paginator = this.#service.actions.get(name)?.paginator;
    if (data && paginator) return { Response: pageOf(paginator, data, body, answer.Response) };
    return answer;
  }

  /** `{ Response }` of a successful call: the example's members with a fresh RequestId (or just the RequestId). */
  #successBody(action: string | undefined, requestId: string): { Response: Record<string, unknown> } {
    const example = action === undefined ? undefined : this.#service.actions.get(action)?.example;
    const response: Record<string, unknown> = example ? structuredClone(example) : {};
    response.RequestId = requestId;
    return { Response: response };
  }
}

/** An API body as an object, parsed only once its nesting is known to be bounded. */
export function parseApiBody(text: string): Record<string, unknown> {
  if (nestsDeeperThan(text, MAX_BODY_NESTING))
    throw new ApiError("InvalidParameter", `The request body is nested more than ${MAX_BODY_NESTING} levels deep.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError("InvalidParameter", "The request body is not valid JSON.");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new ApiError("InvalidParameter", "The request body must be a JSON object.");
  return body as Record<string, unknown>;
}
