/**
 * Answers printed as the server wrote them. The SDK refuses an answer holding an integer beyond ±2^53, which a
 * JavaScript number would round, and keeps the exact answer (such integers as `bigint`) on its
 * `CccUnsafeIntegerError`. The command line writes text, where digits need no rounding: it takes that answer and
 * prints the digits, for a single answer, for every page of `--page-all` and for every poll of `--wait`.
 */
import type { ActionDefinition, RequestOf, ResponseOf } from "../action.js";
import { CccBaseClient, type CallOptions, type CccClientOptions, type CccPromise, type InputFor } from "../client.js";
import { CccUnsafeIntegerError } from "../errors.js";

/**
 * The client of the command line: `send()` resolves to the exact answer where the SDK's would reject with
 * `CccUnsafeIntegerError`. `paginate()` and `waitUntil()` call `send()`, so they page and poll on through such an
 * answer too.
 */
export class ExactAnswerClient extends CccBaseClient {
  override send<A extends ActionDefinition>(
    action: A,
    input: InputFor<RequestOf<A>, CccClientOptions>,
    options?: CallOptions,
  ): CccPromise<ResponseOf<A>> {
    const call = super.send(action, input, options);
    const exact = call.catch((e: unknown) => {
      if (e instanceof CccUnsafeIntegerError) return e.answer as ResponseOf<A>;
      throw e;
    });
    // The CLI reads no call metadata: withMetadata() stays the SDK's own.
    return Object.assign(exact, { withMetadata: call.withMetadata });
  }
}

/**
 * `value` as JSON text, as `JSON.stringify(value, null, space)` writes it, except that a `bigint` is written as its
 * digits (`JSON.stringify` refuses one). `value` is an answer: JSON data, with bigints.
 */
export function jsonText(value: unknown, space = ""): string {
  return write(value, space, "");
}

function write(value: unknown, space: string, indent: string): string {
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = indent + space;
  const open = space ? `\n${inner}` : "";
  const close = space ? `\n${indent}` : "";
  const separator = space ? `,\n${inner}` : ",";
  if (Array.isArray(value)) {
    if (!value.length) return "[]";
    const items = value.map((item: unknown) => write(item === undefined ? null : item, space, inner));
    return `[${open}${items.join(separator)}${close}]`;
  }
  const members = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${space ? " " : ""}${write(v, space, inner)}`);
  return members.length ? `{${open}${members.join(separator)}${close}}` : "{}";
}
