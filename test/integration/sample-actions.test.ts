/**
 * A sample of actions called through the generated client with their official example requests, against the
 * independent test server (which checks each body against the OpenAPI document and answers the example response).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSpec } from "../../codegen/load.js";
import type { Action } from "../../codegen/ir.js";
import { CccClient } from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";

const service = await loadSpec(path.resolve(import.meta.dirname, "../../spec"));
const withExample = service.actions.filter((a) => a.examples.some((e) => e.invalid === undefined));
// Every k-th action with a usable example, at least 12 (or all when there are fewer), always the same ones.
const step = Math.max(1, Math.floor(withExample.length / 12));
const sample: Action[] = withExample.filter((_, i) => i % step === 0);

let server: TestServer;
let client: CccClient;
beforeAll(async () => {
  server = await startTestServer();
  client = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, maxRetries: 0 });
});
afterAll(async () => {
  client?.close();
  await server?.close();
});

describe(`a sample of ${sample.length} of ${service.actions.length} actions, with their official examples`, () => {
  it("has a sample", () => {
    expect(sample.length).toBeGreaterThanOrEqual(Math.min(12, withExample.length));
  });

  it.each(sample.map((a) => [a.name, a] as const))("%s", async (name, action) => {
    const example = action.examples.find((e) => e.invalid === undefined)!;
    const method = (client as unknown as Record<string, (input: unknown) => Promise<Record<string, unknown>>>)[
      action.methodName
    ]!;
    const result = await method.call(client, example.request);
    const { RequestId, ...rest } = result;
    const { RequestId: _exampleId, ...expected } = example.response;
    expect(typeof RequestId).toBe("string");
    expect(rest).toEqual(expected);
    const seen = (await server.requests()).filter((r) => r.action === name).at(-1)!;
    expect(seen.outcome).toBe("ok");
    expect(JSON.parse(seen.body)).toEqual(example.request);
  });
});
