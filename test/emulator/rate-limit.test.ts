// The emulator's rate limit (`rateLimitPerSecond`, `setRateLimit`, `POST /__admin/rate-limit`, the CLI flag): past
// N calls a second per SecretId and action it answers RequestLimitExceeded, as Tencent does.
import { afterEach, describe, expect, it } from "vitest";
import { CccClient, CccError } from "../../src/index.js";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/index.js";
import { createEmulator } from "../../src/emulator/server.js";
import { startTestServer, type TestServer } from "../server/harness.js";

const A = { secretId: "AKIDTHROTTLEA000000000000000000000000", secretKey: "throttle-key-a" };
const B = { secretId: "AKIDTHROTTLEB000000000000000000000000", secretKey: "throttle-key-b" };
const DISABLE = { PhoneNumbers: ["008612345678901"], Disabled: 1 as const, SdkAppId: 1400000000 };

let emulator: Emulator | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await emulator?.close();
  await server?.close();
  emulator = server = undefined;
});

/** A client that neither queues nor retries: every call reaches the emulator once. */
function unlimited(endpoint: string, credentials = A) {
  return new CccClient({ endpoint, credentials, rateLimit: false, maxRetries: 0 });
}

/** The codes of `n` concurrent calls ("ok" for a success). */
async function burst(client: CccClient, n: number, action: "disable" | "describe" = "disable"): Promise<string[]> {
  const one = () =>
    action === "disable" ? client.disableCCCPhoneNumber(DISABLE) : client.describeNumbers({ SdkAppId: 1400000000 });
  return Promise.all(
    Array.from({ length: n }, () =>
      one().then(
        () => "ok",
        (e: unknown) => (e instanceof CccError ? e.code : String(e)),
      ),
    ),
  );
}

const count = (codes: string[], code: string) => codes.filter((c) => c === code).length;

/** The clock the emulator's rate limit reads: the test moves it, so no refill happens while calls are in flight. */
let clock = 0;
const emulatorAt = (options: EmulatorOptions) => createEmulator(options, { throttleClock: () => clock });

describe("the emulator's rate limit", () => {
  it("answers RequestLimitExceeded past N calls per SecretId and action, and records the refusals", async () => {
    emulator = await emulatorAt({ credentials: [A, B], rateLimitPerSecond: 5 });
    const codes = await burst(unlimited(emulator.url), 8);
    expect(count(codes, "ok")).toBe(5);
    expect(count(codes, "RequestLimitExceeded")).toBe(3);
    // Each action and each SecretId has its own budget.
    expect(count(await burst(unlimited(emulator.url), 5, "describe"), "ok")).toBe(5);
    expect(count(await burst(unlimited(emulator.url, B), 5), "ok")).toBe(5);
    const outcomes = emulator.requests().map((r) => r.outcome);
    expect(outcomes.filter((o) => o === "RequestLimitExceeded")).toHaveLength(3);
  });

  it("refills at N per second, takes nothing for a refused call, and refills on reset()", async () => {
    emulator = await emulatorAt({ credentials: [A], rateLimitPerSecond: 10 });
    const client = unlimited(emulator.url);
    expect(count(await burst(client, 10), "ok")).toBe(10);
    expect(await burst(client, 1)).toEqual(["RequestLimitExceeded"]);
    clock += 250; // 2.5 tokens' worth at 10/s
    expect(count(await burst(client, 3), "ok")).toBe(2);
    emulator.reset();
    expect(count(await burst(client, 10), "ok")).toBe(10);
  });

  it("setRateLimit() changes the rate or turns it off, and refuses a rate that is not a positive number", async () => {
    emulator = await emulatorAt({ credentials: [A] });
    expect(count(await burst(unlimited(emulator.url), 30), "ok")).toBe(30);
    emulator.setRateLimit(2);
    expect(count(await burst(unlimited(emulator.url), 4), "ok")).toBe(2);
    emulator.setRateLimit(undefined);
    expect(count(await burst(unlimited(emulator.url), 30), "ok")).toBe(30);
    expect(() => emulator!.setRateLimit(0)).toThrow(/perSecond must be a number of calls per second above 0/);
    expect(() => emulator!.setRateLimit(Number.NaN)).toThrow(TypeError);
    await expect(startEmulator({ rateLimitPerSecond: -1 })).rejects.toThrow(/rateLimitPerSecond must be/);
  });

  it("the CLI's --rate-limit-per-second and POST /__admin/rate-limit do the same", async () => {
    // Real time here: at 1/s, a refill during the burst would take a second.
    server = await startTestServer({ credentials: [A], rateLimitPerSecond: 1 });
    expect(count(await burst(unlimited(server.url), 5), "ok")).toBe(1);
    await server.setRateLimit(null);
    expect(count(await burst(unlimited(server.url), 20), "ok")).toBe(20);
    await server.setRateLimit(0.5);
    expect(count(await burst(unlimited(server.url), 3), "ok")).toBe(1);
    await expect(server.setRateLimit(-5)).rejects.toThrow(/HTTP 400.*perSecond must be/);
    expect((await server.requests()).filter((r) => r.outcome === "RequestLimitExceeded")).toHaveLength(6);
  });
});
