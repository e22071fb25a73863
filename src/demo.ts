/**
 * `npm run demo`: the SDK end to end on a fresh machine, with no Tencent credentials. Starts the emulator on a free
 * loopback port, calls both seed actions through the SDK, shows a documented error and a validation error, and
 * stops. Exit code 0 when everything behaved as described.
 */
import { CccClient, CccError, CccValidationError, isCccError } from "./index.js";
import { DEMO_CREDENTIAL, startEmulator } from "./emulator/index.js";

const line = (text = "") => process.stdout.write(`${text}\n`);
const show = (value: unknown) => JSON.stringify(value);

async function demo(): Promise<void> {
  const emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
  const client = new CccClient({ endpoint: emulator.url, credentials: DEMO_CREDENTIAL });
  try {
    line("ccc-sdk demo: Tencent Cloud Contact Center (CCC 2020-02-10) against a local emulator");
    line(`emulator listening on ${emulator.url} (checks signatures and bodies like the real endpoint)`);
    line();

    const disable = { SdkAppId: 1400000000, PhoneNumbers: ["008602112345678"], Disabled: 1 as const };
    line(`1. client.disableCCCPhoneNumber(${show(disable)})`);
    const disabled = await client.disableCCCPhoneNumber(disable);
    line(`   → ${show(disabled)}`);

    const modify = {
      SdkAppId: 1400000000,
      ApplyId: 1,
      DetailList: [{ CallType: 2 as const, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 }],
    };
    line(`2. client.modifyOwnNumberApply(${show(modify)})`);
    const modified = await client.modifyOwnNumberApply(modify);
    line(`   → ${show(modified)}`);

    line("3. a documented error: the emulator is told to answer FailedOperation.CurStateNotAllowModify once");
    emulator.inject({ type: "error", action: "DisableCCCPhoneNumber", code: "FailedOperation.CurStateNotAllowModify" });
    try {
      await client.disableCCCPhoneNumber({ ...disable, Disabled: 0 });
      throw new Error("the scripted error did not come");
    } catch (err) {
      if (!(isCccError(err) && err.action === "DisableCCCPhoneNumber")) throw err;
      line(`   → ${err.name} ${err.code}: ${err.apiMessage} (RequestId ${err.requestId}, retryable: ${err.retryable})`);
    }

    line("4. bad input is refused before anything is sent: Disabled: 2, a number without 0086");
    try {
      await client.disableCCCPhoneNumber({ PhoneNumbers: ["13800000000"], Disabled: 2 as 1 });
      throw new Error("the bad input was accepted");
    } catch (err) {
      if (!(err instanceof CccValidationError)) throw err;
      for (const v of err.violations) line(`   → ${err.name}: ${v.message} (${v.rule})`);
    }

    const seen = emulator.requests();
    line();
    line(`the emulator received ${seen.length} requests:`);
    for (const r of seen) line(`   ${r.action}  signed ${(r.signedHeaders ?? []).join(";")}  → ${r.outcome}`);
    if (seen.length !== 3 || seen[2]?.outcome === "ok") throw new Error("the emulator saw something unexpected");
    line();
    line(
      "next: README.md (usage, errors, retries, credentials), `npx ccc --help` (the CLI), `npx ccc-emulator` (this emulator).",
    );
  } finally {
    client.close();
    await emulator.close();
  }
}

demo().then(
  () => {
    process.exitCode = 0;
  },
  (err: unknown) => {
    process.stderr.write(
      `demo failed: ${err instanceof CccError || err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
