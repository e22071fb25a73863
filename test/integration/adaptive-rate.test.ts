/**
 * adaptiveRateLimiter() measured against the emulator process: a scripted RequestLimitExceeded fault cuts the rate
 * the next calls go at, and against an account whose real limit is half the documented one (the emulator's
 * `--rate-limit-per-second 10`, as when other apps share the account), it is refused far less often than the
 * fixed bucket, which keeps sending at the documented 20/s.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adaptiveRateLimiter, CccClient, type CccClientOptions } from "../../src/index.js";
import { startTestServer, type TestServer } from "../server/harness.js";

const DISABLE = { PhoneNumbers: ["008612345678901"], Disabled: 1 as const, SdkAppId: 1400000000 };
let server: TestServer;
let n = 0;
/** A credential of its own for each client: the in-process buckets are shared by SecretId. */
const credential = () => ({ secretId: `AKIDADAPTIVE${String(++n).padStart(24, "0")}`, secretKey: "adaptive-key" });
const credentials = Array.from({ length: 8 }, credential);
n = 0;

beforeAll(async () => {
  server = await startTestServer({ credentials });
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  await server.reset();
  await server.setRateLimit(null);
});

/** A client with a credential of its own, and that credential's SecretId (what the records name). */
function client(rateLimit: CccClientOptions["rateLimit"]): { c: CccClient; secretId: string } {
  const own = credential();
  const c = new CccClient({
    endpoint: server.url,
    credentials: own,
    rateLimit,
    maxRetries: 20,
    backoff: { baseMs: 50, maxMs: 500 },
  });
  return { c, secretId: own.secretId };
}

/** When each call of `secretId` arrived, from the first, in ms. */
async function arrivals(secretId: string): Promise<number[]> {
  const times = (await server.requests()).filter((r) => r.secretId === secretId).map((r) => r.receivedAt);
  return times.map((t) => t - Math.min(...times)).sort((a, b) => a - b);
}

describe("adaptiveRateLimiter against the emulator", () => {
  it("a RequestLimitExceeded fault cuts the rate: 20 calls right after it are spread, not sent at once", async () => {
    const { c: adaptive, secretId } = client(adaptiveRateLimiter());
    await server.inject({
      type: "error",
      action: "DisableCCCPhoneNumber",
      code: "RequestLimitExceeded.UinLimitExceeded",
    });
    await adaptive.disableCCCPhoneNumber(DISABLE); // refused once, retried: the rate is now 0.7 × 20
    await Promise.all(Array.from({ length: 20 }, () => adaptive.disableCCCPhoneNumber(DISABLE)));
    const times = await arrivals(secretId);
    expect(times).toHaveLength(22);
    // At most 14 tokens after the cut: the last of the 20 waits for at least ~6 refills at 14-17/s (over 350 ms);
    // the fixed bucket would have sent them within a few ms.
    expect(times[21]! - times[2]!).toBeGreaterThan(300);
  });

  it(
    "an account limited to 10/s: refused far less often than with the fixed 20/s bucket",
    { timeout: 60_000 },
    async () => {
      await server.setRateLimit(10);
      const calls = 60;
      const measure = async (rateLimit: CccClientOptions["rateLimit"]) => {
        await server.reset();
        const { c, secretId } = client(rateLimit);
        const started = performance.now();
        // 5 workers: calls that keep coming, as a service's do.
        let left = calls;
        const worker = async () => {
          while (left-- > 0) await c.disableCCCPhoneNumber(DISABLE);
        };
        await Promise.all(Array.from({ length: 5 }, worker));
        const records = (await server.requests()).filter((r) => r.secretId === secretId);
        return {
          ok: records.filter((r) => r.outcome === "ok").length,
          refused: records.filter((r) => r.outcome === "RequestLimitExceeded").length,
          ms: Math.round(performance.now() - started),
        };
      };
      const fixed = await measure(true);
      const adaptive = await measure(adaptiveRateLimiter());
      console.log(
        `${calls} calls to an account limited to 10/s: fixed bucket ${fixed.refused} refused in ${fixed.ms} ms, ` +
          `adaptive ${adaptive.refused} refused in ${adaptive.ms} ms`,
      );
      expect(fixed.ok).toBe(calls);
      expect(adaptive.ok).toBe(calls);
      expect(adaptive.refused).toBeLessThan(fixed.refused / 2);
    },
  );
});
