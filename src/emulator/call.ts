/** One call to `POST /`: its record, committed to the records exactly once whatever ends the call, and its answers. */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { header, type Sender } from "./http.js";
import { recordedHeaders } from "./records.js";
import type { EmulatorState } from "./state.js";
import { parseAuthorization } from "./tc3.js";
import type { RecordedRequest } from "./types.js";

export class Call {
  readonly record: RecordedRequest;
  readonly #res: ServerResponse;
  readonly #state: EmulatorState;
  readonly #sender: Sender;
  #committed = false;

  constructor(req: IncomingMessage, res: ServerResponse, state: EmulatorState, sender: Sender) {
    this.#res = res;
    this.#state = state;
    this.#sender = sender;
    this.record = {
      seq: state.nextSeq(),
      action: header(req, "x-tc-action") ?? null,
      headers: recordedHeaders(req),
      body: "",
      bodyBytes: 0,
      signedHeaders: null,
      secretId: null,
      outcome: "pending",
      receivedAt: Date.now(),
    };
    // Parsed up front so that faulted calls are attributed too.
    const auth = parseAuthorization(header(req, "authorization"));
    if (typeof auth !== "string") {
      this.record.secretId = auth.secretId;
      this.record.signedHeaders = [...auth.signedHeaders];
    }
  }

  /** The action the call names (X-TC-Action), if any. */
  get action(): string | undefined {
    return this.record.action ?? undefined;
  }

  /** Records the call with `outcome`; only the first commit counts. */
  commit(outcome: string): void {
    if (this.#committed) return;
    this.#committed = true;
    this.record.outcome = outcome;
    this.#state.addRecord(this.record);
  }

  /** Answers `body` (HTTP 200), recording its RequestId and `outcome`. */
  answer(outcome: string, body: { Response: Record<string, unknown> }): void {
    this.record.requestId = body.Response.RequestId as string;
    this.commit(outcome);
    this.#sender.json(this.#res, 200, body);
  }

  /** Answers Tencent's error envelope with a fresh RequestId. */
  answerError(code: string, message: string, outcome: string = code): void {
    this.answer(outcome, { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } });
  }
}
