/**
 * The data pushes of spec/pushes/ as the loader makes them: a push's own members and, for a push naming a model,
 * the model's members, none of those required (a push may leave out what an API answer always holds).
 */
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../codegen/load.js";
import type { Service } from "../../codegen/ir.js";
import { SPEC_DIR } from "./helpers.js";

let spec: Service | undefined;
const loaded = async (): Promise<Service> => (spec ??= await loadSpec(SPEC_DIR));

describe("spec/pushes/", () => {
  it("has the three pushes of CCC's Data Push pages, by action", async () => {
    const pushes = (await loaded()).pushes.map((p) => [p.name, p.action, p.version]);
    expect(pushes).toEqual([
      ["Cdr", "cdr", "1"],
      ["Record", "record", "1"],
      ["Voicemail", "voicemail", undefined],
    ]);
  });

  it("gives the CDR push TelCdrInfo's members, all optional, and its own SdkAppId, required", async () => {
    const service = await loaded();
    const cdr = service.pushes.find((p) => p.name === "Cdr")!;
    const model = service.models.find((m) => m.name === "TelCdrInfo")!;
    for (const m of model.members) expect(cdr.members.find((c) => c.name === m.name)?.required).toBe(false);
    expect(cdr.members.find((m) => m.name === "SdkAppId")).toMatchObject({ required: true, type: { name: "int64" } });
    expect(cdr.members.map((m) => m.name)).toEqual([...cdr.members.map((m) => m.name)].sort());
  });

  it("takes the voicemail push's EndpointUser as a string or, as its page's sample writes it, a number", async () => {
    const voicemail = (await loaded()).pushes.find((p) => p.name === "Voicemail")!;
    expect(voicemail.numberAsString).toEqual(["EndpointUser"]);
    expect(typeof voicemail.example.EndpointUser).toBe("number");
  });
});
