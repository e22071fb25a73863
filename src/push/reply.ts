/**
 * The reply contract with CCC (数据推送前置说明 / "Preliminary Explanation (Data Push)"): the receiver answers JSON
 * `{"ErrCode":0,"ErrMsg":""}` to take a push; any other ErrCode makes CCC push it again, at most 3 more times. Every
 * answer of the push handler is written here, from one table: the HTTP status and the ErrCode are the same number,
 * so a log line, CCC's console and a test all read the same.
 *
 * A push that can never be taken (malformed, unauthorised, of an action with no handler) is still refused with a
 * non-zero ErrCode rather than acknowledged: CCC's contract has no "do not retry", and answering 0 would drop the
 * data without a trace. The cost is at most 3 pointless retries; the refusal stays visible in CCC's push records
 * and in `onError`.
 */

/** Why a push was not taken: each reason's HTTP status, which is also its ErrCode. */
export const PUSH_REFUSALS = {
  /** Not JSON, not an object, a member of the wrong type, a required member missing, no or an unknown action. */
  malformed: 400,
  /** No credential, or a wrong one (with `WWW-Authenticate`). */
  unauthorized: 401,
  /** Not a POST (with `Allow: POST`). */
  method: 405,
  /** A body over `maxBodyBytes`. */
  tooLarge: 413,
  /** A declared Content-Type other than JSON. */
  mediaType: 415,
  /** The handler threw, or the de-duplication store failed: CCC pushes again and the retry is handled afresh. */
  failed: 500,
  /** An action CCC pushes that the app gave no handler for (`onVoicemail`, …). */
  unhandled: 501,
} as const;

export type PushRefusal = keyof typeof PUSH_REFUSALS;

/** An answer to a push before it is a Response: what `onError` and the tests see. */
export interface PushReply {
  readonly status: number;
  readonly errCode: number;
  readonly errMsg: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export const ACCEPTED: PushReply = { status: 200, errCode: 0, errMsg: "" };

export function refused(reason: PushRefusal, errMsg: string, headers?: Record<string, string>): PushReply {
  const code = PUSH_REFUSALS[reason];
  return { status: code, errCode: code, errMsg, ...(headers ? { headers } : {}) };
}

/** The reply as CCC reads it: JSON `{ ErrCode, ErrMsg }`, never cached. */
export function toResponse(reply: PushReply): Response {
  return new Response(JSON.stringify({ ErrCode: reply.errCode, ErrMsg: reply.errMsg }), {
    status: reply.status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...reply.headers },
  });
}
