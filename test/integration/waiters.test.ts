/**
 * Waiters (issue 14) against the emulator process, which answers scripted state sequences: success after some
 * polls, a failure state, a timeout, an abort, list paths (`all` / `any`), a nested path, a poll's own error, the
 * backoff between polls, and every generated waiter reaching success.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { catalog } from "../../generated/catalog.js";
import {
  AutoCalloutTaskFinishedWaiter,
  CccBareClient,
  CccClient,
  CccConfigError,
  CccError,
  CccWaiterError,
  waiters,
  waitUntil,
  type WaiterAcceptor,
  type WaiterDefinition,
} from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";

const SDK_APP_ID = 1400000000;
const task = { SdkAppId: SDK_APP_ID, TaskId: 7 };
/** Polls close together, so that a test takes milliseconds. */
const fast = { minDelayMs: 1, maxDelayMs: 5, maxWaitMs: 5_000 };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  await server.reset();
});

const client = () => new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, maxRetries: 0 });

async function polls(action: string): Promise<number> {
  return (await server.requests()).filter((r) => r.action === action).length;
}

/** The rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("the waiter resolved"),
    (e: unknown) => e,
  );
}

describe("a waiter", () => {
  it("polls until the success state and resolves with that result", async () => {
    await server.setStates("DescribeAutoCalloutTask", [{ State: 1 }, { State: 3 }, { State: 2 }]);
    const c = client();
    const result = await c.waitUntilAutoCalloutTaskFinished(task, fast);
    expect(result.State).toBe(2);
    expect(result.Name).toBe("foobar"); // the rest of the answer is the documented example's
    expect(await polls("DescribeAutoCalloutTask")).toBe(3);
    await c.close();
  });

  it("rejects with CccWaiterError (failure) at a failure state, with the last result", async () => {
    await server.setStates("DescribeAutoCalloutTask", [{ State: 1 }, { State: 4 }]);
    const c = client();
    const e = await rejection(c.waitUntilAutoCalloutTaskFinished(task, fast));
    expect(e).toBeInstanceOf(CccWaiterError);
    const w = e as CccWaiterError;
    expect([w.reason, w.polls, w.waiter, w.action]).toEqual([
      "failure",
      2,
      "AutoCalloutTaskFinished",
      "DescribeAutoCalloutTask",
    ]);
    expect((w.lastResult as { State: number }).State).toBe(4);
    expect(w.message).toBe(
      "waiter AutoCalloutTaskFinished reached a failure state (2 poll(s) of DescribeAutoCalloutTask)",
    );
    expect(JSON.stringify(w)).not.toContain("foobar"); // the last result is not enumerable
    await c.close();
  });

  it("times out after maxWaitMs, with the last result", async () => {
    await server.setStates("DescribeAutoCalloutTask", [{ State: 1 }]);
    const c = client();
    const started = performance.now();
    const e = (await rejection(
      c.waitUntilAutoCalloutTaskFinished(task, { maxWaitMs: 120, minDelayMs: 20, maxDelayMs: 40 }),
    )) as CccWaiterError;
    const waited = performance.now() - started;
    expect(e.reason).toBe("timeout");
    expect(e.polls).toBeGreaterThanOrEqual(1); // on a loaded machine one slow poll may fill the whole wait
    expect((e.lastResult as { State: number }).State).toBe(1);
    expect(waited).toBeGreaterThanOrEqual(115);
    expect(waited).toBeLessThan(2_000);
    await c.close();
  });

  it("is aborted by the signal, while it waits between polls", async () => {
    await server.setStates("DescribeAutoCalloutTask", [{ State: 1 }]);
    const c = client();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("shutting down")), 50);
    const e = (await rejection(
      c.waitUntilAutoCalloutTaskFinished(task, { maxWaitMs: 10_000, minDelayMs: 1_000, signal: controller.signal }),
    )) as CccWaiterError;
    expect(e.reason).toBe("aborted");
    expect(e.polls).toBe(1);
    await c.close();
  });

  it("waits between polls from minDelayMs, doubling up to maxDelayMs", async () => {
    await server.setStates("DescribeAutoCalloutTask", [{ State: 1 }, { State: 1 }, { State: 1 }, { State: 2 }]);
    const c = client();
    await c.waitUntilAutoCalloutTaskFinished(task, { maxWaitMs: 5_000, minDelayMs: 40, maxDelayMs: 60 });
    const times = (await server.requests()).map((r) => r.receivedAt);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(35);
      expect(gap).toBeLessThan(1_000);
    }
    await c.close();
  });

  it("rejects with a poll's own error when no acceptor names it", async () => {
    await server.inject({ type: "error", action: "DescribeAutoCalloutTask", code: "InternalError.DBError" });
    const c = client();
    const e = await rejection(c.waitUntilAutoCalloutTaskFinished(task, fast));
    expect(e).toBeInstanceOf(CccError);
    expect((e as CccError).code).toBe("InternalError.DBError");
    await c.close();
  });

  it("needs maxWaitMs, and minDelayMs no more than maxDelayMs", async () => {
    const c = client();
    await expect(c.waitUntilAutoCalloutTaskFinished(task, {} as never)).rejects.toThrow(
      new CccConfigError("maxWaitMs is required: how long the waiter may wait in all, ms"),
    );
    await expect(
      c.waitUntilAutoCalloutTaskFinished(task, { maxWaitMs: 10, minDelayMs: 50, maxDelayMs: 20 }),
    ).rejects.toThrow("minDelayMs (50) must not be more than maxDelayMs (20)");
    expect(await server.requests()).toEqual([]);
    await c.close();
  });

  it("works with a bare client through waitUntil(client, Waiter, input, options)", async () => {
    await server.setStates("DescribeAutoCalloutTask", [{ State: 2 }]);
    const bare = new CccBareClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL });
    expect((await waitUntil(bare, AutoCalloutTaskFinishedWaiter, task, fast)).State).toBe(2);
    await bare.close();
  });
});

describe("paths into the result", () => {
  it("`all` over a list: every item must be in the expected state; an empty list is not success", async () => {
    await server.setStates("DescribeCompanyList", [
      { CompanyInfo: [] },
      { CompanyInfo: [{ State: 2 }, { State: 1 }] },
      { CompanyInfo: [{ State: 2 }, { State: 2 }] },
    ]);
    const c = client();
    const result = await c.waitUntilCompanyApproved({ PageSize: 10, PageNumber: 0, ApplyID: [1, 2] }, fast);
    expect(result.CompanyInfo?.map((i) => i.State)).toEqual([2, 2]);
    expect(await polls("DescribeCompanyList")).toBe(3);
    await c.close();
  });

  it("`any` over a list: one rejected item is the failure", async () => {
    await server.setStates("DescribeCompanyList", [{ CompanyInfo: [{ State: 2 }, { State: 3 }] }]);
    const c = client();
    const e = (await rejection(c.waitUntilCompanyApproved({ PageSize: 10, PageNumber: 0 }, fast))) as CccWaiterError;
    expect(e.reason).toBe("failure");
    await c.close();
  });

  it("a nested member: Session.SessionStatus", async () => {
    await server.setStates("DescribeTelSession", [
      { Session: { SessionStatus: "ringing" } },
      { Session: { SessionStatus: "inProgress" } },
      { Session: { SessionStatus: "finished" } },
    ]);
    const c = client();
    const result = await c.waitUntilTelSessionFinished({ SdkAppId: SDK_APP_ID, SessionId: "s-1" }, fast);
    // The state is merged over the example: the session's other members are the example's.
    expect([result.Session.SessionStatus, result.Session.Caller]).toEqual(["finished", "00864009282737"]);
    await c.close();
  });
});

/**
 * A result at the path of the waiter's first success acceptor: with its expected value, or (`pending`) with a
 * value no acceptor expects.
 */
function stateAt(waiter: WaiterDefinition, pending = false): Record<string, unknown> {
  const acceptor = waiter.acceptors.find((a) => a.state === "success" && "path" in a) as Extract<
    WaiterAcceptor,
    { path: string }
  >;
  const expected = acceptor.expected[0];
  let value: unknown = pending ? (typeof expected === "string" ? "pending" : -1) : expected;
  for (const step of acceptor.path.split(".").reverse())
    value = step.endsWith("[]") ? { [step.slice(0, -2)]: [value] } : { [step]: value };
  return value as Record<string, unknown>;
}

describe("all 7 waiters", () => {
  const all = Object.values(waiters) as WaiterDefinition[];

  it("are generated", () => {
    expect(all.map((w) => w.name).sort()).toEqual([
      "AgentCruiseDialingCampaignFinished",
      "AutoCalloutTaskFinished",
      "CarrierPrivilegeNumberApproved",
      "CompanyApproved",
      "IvrAudioApproved",
      "PredictiveDialingCampaignFinished",
      "TelSessionFinished",
    ]);
  });

  it.each(all.map((w) => [w.name, w] as const))("%s reaches success on the second poll", async (name, waiter) => {
    const action = waiter.command.name;
    await server.setStates(action, [stateAt(waiter, true), stateAt(waiter)]);
    const input: Record<string, unknown> = { SdkAppId: SDK_APP_ID, ...catalog.actions[action]?.example?.request };
    for (const member of Object.keys(input))
      if (!(member in waiter.command.input)) delete input[member as keyof typeof input];
    const c = client();
    const method = `waitUntil${name}` as keyof CccClient;
    await (c[method] as (i: unknown, o: unknown) => Promise<unknown>).call(c, input, fast);
    expect(await polls(action)).toBe(2);
    await c.close();
  });
});
