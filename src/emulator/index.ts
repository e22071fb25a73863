/**
 * ccc-sdk/emulator: a local stand-in for ccc.tencentcloudapi.com, to test code that uses the SDK without Tencent
 * credentials. It checks TC3-HMAC-SHA256 signatures, the action, the version and the body like the real endpoint,
 * answers each action's documented example with a fresh RequestId, records what it received and plays scripted
 * faults. It also issues temporary credentials, as STS (`AssumeRole`, `AssumeRoleWithWebIdentity`) and a CVM
 * instance's metadata do, and accepts them until they expire. Node builtins and this package's own modules only.
 *
 * ```ts
 * import { CccClient } from "ccc-sdk";
 * import { DEMO_CREDENTIAL, startEmulator } from "ccc-sdk/emulator";
 *
 * const emulator = await startEmulator();
 * const client = new CccClient({ endpoint: emulator.url, credentials: DEMO_CREDENTIAL });
 * emulator.inject({ type: "error", action: "DisableCCCPhoneNumber", code: "FailedOperation.CurStateNotAllowModify" });
 * // ... exercise your code ...
 * await emulator.close();
 * ```
 */
import { createEmulator } from "./server.js";
import type { Emulator, EmulatorOptions } from "./types.js";

export { DEMO_CREDENTIAL, DEMO_WEB_IDENTITY } from "./types.js";
export type {
  DataSet,
  Emulator,
  EmulatorCredential,
  EmulatorOptions,
  Fault,
  FaultType,
  PushAttempt,
  PushAuthOption,
  PushDelivery,
  PushOptions,
  PushOutcome,
  QueuedFault,
  RecordedRequest,
} from "./types.js";

/** Starts an emulator listening on `options.host` (default 127.0.0.1) and `options.port` (default: a free one). */
export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return createEmulator(options);
}
