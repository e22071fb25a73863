/** `npm run demo` on its own: exit code 0, and the output a person reads. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runScript } from "../support/script.js";

const DEMO = path.resolve(import.meta.dirname, "../../src/demo.ts");

describe("npm run demo", () => {
  it("starts the emulator, calls both actions, shows a documented and a validation error, and exits 0 by itself", async () => {
    const { code, output, ms } = await runScript(
      `await import(${JSON.stringify(DEMO)});`,
      30_000,
      {},
      { typescript: true },
    );
    expect(code, output).toBe(0);
    expect(output).toMatch(/emulator listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/1\. client\.disableCCCPhoneNumber\(.*\)\n {3}→ \{"RequestId":"[0-9a-f-]{36}"\}/);
    expect(output).toMatch(/2\. client\.modifyOwnNumberApply\(.*\)\n {3}→ \{"RequestId":"[0-9a-f-]{36}"\}/);
    expect(output).toContain("CccError FailedOperation.CurStateNotAllowModify");
    expect(output).toContain("CccValidationError: Disabled must be one of 0, 1, got the number 2 (enum)");
    expect(output).toContain("the emulator received 3 requests");
    expect(output).not.toContain("demo failed");
    expect(ms).toBeLessThan(25_000);
  });
});
