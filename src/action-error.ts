import type { ErrorCodesByAction } from "../generated/client.js";
import { CccError } from "./errors.js";

/**
 * A `CccError` whose `code` narrows once `action` is known:
 * `if (isCccError(e) && e.action === "DisableCCCPhoneNumber") switch (e.code) { … }`.
 */
export type CccActionError = {
  [A in keyof ErrorCodesByAction]: CccError<A, ErrorCodesByAction[A]>;
}[keyof ErrorCodesByAction];

/** Type guard for API errors with per-action code narrowing. */
export function isCccError(error: unknown): error is CccActionError {
  return error instanceof CccError;
}
