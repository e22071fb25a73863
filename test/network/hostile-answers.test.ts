/**
 * Answers that are hostile or just unusual never crash the app, never grow it without bound and are never
 * silently changed: raw servers (test/support/gateway.mjs) in their own process on 127.0.0.1.
 */
import { describe, expect, it } from "vitest";
import { CccResponseError, CccUnsafeIntegerError, type CccClient } from "../../src/index.js";
import { built } from "../support/built.js";
import { runScript } from "../support/script.js";
import { credentials, gatewayFixture } from "./fixture.js";

const { gateway, client } = gatewayFixture({ maxRetries: 0 });
const describeCdr = (c: CccClient) =>
  c.describeTelCdr({
    SdkAppId: 1400000000,
    StartTimeStamp: 1700000000,
    EndTimeStamp: 1700003600,
    PageSize: 10,
    PageNumber: 0,
  });

/** Runs `body` in a fresh process against `url` and returns what it printed last (JSON) and its peak RSS in MB. */
async function inChild(url: string, call: string): Promise<{ result: Record<string, unknown>; peakRssMb: number }> {
  const script = `
    import { CccClient } from ${JSON.stringify(built("index"))};
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    const c = new CccClient({ endpoint: ${JSON.stringify(url)}, credentials: ${JSON.stringify(credentials)},
      rateLimit: false, maxRetries: 0, timeoutMs: 20000 });
    const e = await (${call}).then(() => ({ name: "none" }), (e) => e);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(JSON.stringify({ name: e.name, message: e.message, httpStatus: e.httpStatus, peakRssMb: Math.round(peak / 1048576) }));
    await c.close();
  `;
  const run = await runScript(script, 60_000);
  expect(run.code, run.output).toBe(0);
  const result = JSON.parse(run.output.trim().split("\n").pop()!) as Record<string, unknown>;
  return { result, peakRssMb: result.peakRssMb as number };
}

const CALL = `c.describeTelCdr({ SdkAppId: 1400000000, StartTimeStamp: 1700000000, EndTimeStamp: 1700003600, PageSize: 10, PageNumber: 0 })`;

describe("answers larger than the cap", () => {
  it("an announced 600 MB answer fails at once with CccResponseError naming the cap; the process lives", async () => {
    const g = await gateway({ mode: "huge", hugeBytes: 600 * 1024 * 1024 });
    const { result, peakRssMb } = await inChild(g.url, CALL);
    expect(result.name).toBe("CccResponseError");
    expect(result.message).toMatch(/67108864 bytes|64 MiB/);
    console.log(`600 MB announced answer: peak RSS ${peakRssMb} MB`);
    expect(peakRssMb).toBeLessThan(200);
  });

  it("an endless chunked answer is cut off at the cap (default 64 MiB) and the socket destroyed", async () => {
    const g = await gateway({ mode: "endless" });
    const { result, peakRssMb } = await inChild(g.url, CALL);
    expect(result.name).toBe("CccResponseError");
    expect(result.message).toMatch(/larger than/);
    console.log(`endless chunked answer: peak RSS ${peakRssMb} MB`);
    expect(peakRssMb).toBeLessThan(400);
    await g.until((events) => events.some((e) => e.event === "closed" && e.by === "client"));
  });

  it("maxResponseBytes sets the cap", async () => {
    const g = await gateway({ mode: "endless" });
    const c = client(g, { maxResponseBytes: 1_000_000 });
    const error = await describeCdr(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccResponseError);
    expect(error).toMatchObject({ retryable: false, httpStatus: 200 });
    expect((error as Error).message).toMatch(/larger than 1000000 bytes/);
  });

  it("a deeply nested answer is a CccResponseError, not a crash", async () => {
    const depth = 200_000;
    const g = await gateway({ mode: "answer", answerNestedDepth: depth });
    const error = await describeCdr(client(g)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccResponseError);
  });
});

describe("integers beyond ±2^53 in answers", () => {
  const answer = (members: string) => `{"Response":{${members},"RequestId":"big-1"}}`;

  it("fail with CccUnsafeIntegerError naming the member, and the exact answer is on the error", async () => {
    const g = await gateway({ mode: "answer", answerBody: answer(`"TotalCount":12345678901234567890,"TelCdrs":[]`) });
    const error = await describeCdr(client(g)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccUnsafeIntegerError);
    expect(error).toBeInstanceOf(CccResponseError);
    const e = error as CccUnsafeIntegerError;
    expect(e.path).toBe("TotalCount");
    expect(e.message).toContain("12345678901234567890");
    expect(e.retryable).toBe(false);
    expect((e.answer as { TotalCount: bigint }).TotalCount).toBe(12345678901234567890n);
    expect((e.answer as { RequestId: string }).RequestId).toBe("big-1");
  });

  it("names nested members and negative values", async () => {
    const g = await gateway({
      mode: "answer",
      answerBody: answer(`"TotalCount":2,"TelCdrs":[{"Duration":5},{"Duration":-9007199254740993}]`),
    });
    const error = (await describeCdr(client(g)).catch((e: unknown) => e)) as CccUnsafeIntegerError;
    expect(error).toBeInstanceOf(CccUnsafeIntegerError);
    expect(error.path).toBe("TelCdrs[1].Duration");
    expect((error.answer as { TelCdrs: { Duration: bigint }[] }).TelCdrs[1]!.Duration).toBe(-9007199254740993n);
  });

  it("leave safe integers, floats and digits inside strings alone", async () => {
    const g = await gateway({
      mode: "answer",
      answerBody: answer(
        `"TotalCount":9007199254740991,"TelCdrs":[{"Caller":"12345678901234567890123","Duration":1.2345678901234567e+25}]`,
      ),
    });
    const result = await describeCdr(client(g));
    expect(result.TotalCount).toBe(9007199254740991);
    expect(result.TelCdrs![0]!.Caller).toBe("12345678901234567890123");
  });
});
