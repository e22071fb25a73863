/**
 * Type-level tests: snippets an app might write are compiled with the project's compiler options against the
 * public entry point; the wrong ones must fail with the expected diagnostic, the right ones must compile.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compile, root } from "./compile.js";

const dir = path.join(root, "test/types/virtual");

const PRELUDE = `
import { CccClient, CccError, isCccError, DisableCCCPhoneNumberCommand, CccBareClient, commands, type ActionName, type DisableCCCPhoneNumberErrorCode, type ModifyOwnNumberApplyRequest } from "../../../src/index.js";
const client = new CccClient({ credentials: { secretId: "id", secretKey: "key" } });
`;

const snippets: Record<string, { code: string; error?: RegExp }> = {
  valid: {
    code: `
      const r = await client.disableCCCPhoneNumber({ PhoneNumbers: ["0086"], Disabled: 1, SdkAppId: 1400000000 });
      const id: string = r.RequestId;
      await client.modifyOwnNumberApply({ SdkAppId: 1, DetailList: [{ CallType: 2, PhoneNumber: "1", MaxCallCount: 1, MaxCallPSec: 1 }] }, { timeoutMs: 5000, signal: AbortSignal.timeout(1) });
      const bare = new CccBareClient({ endpoint: "http://127.0.0.1:1" });
      const r2 = await bare.send(DisableCCCPhoneNumberCommand, { PhoneNumbers: ["0086"], Disabled: 0 });
      const id2: string = r2.RequestId;
      try { await client.disableCCCPhoneNumber({ PhoneNumbers: ["0086"], Disabled: 0 }); } catch (e) {
        if (isCccError(e) && e.action === "DisableCCCPhoneNumber") {
          const code: DisableCCCPhoneNumberErrorCode = e.code;
          switch (e.code) { case "InvalidParameter.InvalidPhoneNumber": case "RequestLimitExceeded": break; }
        }
      }
      // Every action of the spec has its method, named by lower-casing only the first letter.
      type MissingMethods = Exclude<Uncapitalize<ActionName>, keyof CccClient>;
      const everyActionHasAMethod: [MissingMethods] extends [never] ? true : MissingMethods = true;
      const actionCount: number = Object.keys(commands).length;
      export { id, id2, everyActionHasAMethod, actionCount };`,
  },
  disabledTwo: {
    code: `await client.disableCCCPhoneNumber({ PhoneNumbers: ["0086"], Disabled: 2 });`,
    error: /Type '2' is not assignable to type '0 \| 1'/,
  },
  wrongField: {
    code: `await client.disableCCCPhoneNumber({ PhoneNumber: ["0086"], Disabled: 1 });`,
    error: /'PhoneNumber' does not exist/,
  },
  missingRequired: {
    code: `await client.disableCCCPhoneNumber({ PhoneNumbers: ["0086"] });`,
    error: /Property 'Disabled' is missing/,
  },
  stringForInt: {
    code: `await client.disableCCCPhoneNumber({ PhoneNumbers: ["0086"], Disabled: 1, SdkAppId: "1" });`,
    error: /not assignable to type 'number \| bigint( \| undefined)?'/,
  },
  callTypeThree: {
    code: `const r: ModifyOwnNumberApplyRequest = { SdkAppId: 1, DetailList: [{ CallType: 3, PhoneNumber: "1", MaxCallCount: 1, MaxCallPSec: 1 }] }; export { r };`,
    error: /Type '3' is not assignable to type '0 \| 1 \| 2'/,
  },
  unknownResultMember: {
    code: `const r = await client.disableCCCPhoneNumber({ PhoneNumbers: ["0086"], Disabled: 1 }); r.ApplyId;`,
    error: /Property 'ApplyId' does not exist/,
  },
  undocumentedCode: {
    code: `try {} catch (e) { if (isCccError(e) && e.action === "ModifyOwnNumberApply" && e.code === "InvalidParameter.SipTrunkNotFound") {} }`,
    error: /This comparison appears to be unintentional/,
  },
  timeoutAsString: {
    code: `await client.disableCCCPhoneNumber({ PhoneNumbers: ["0086"], Disabled: 1 }, { timeoutMs: "5" });`,
    error: /not assignable to type 'number'/,
  },
  wrongActionMethod: {
    code: `await client.DisableCCCPhoneNumber({ PhoneNumbers: ["0086"], Disabled: 1 });`,
    error: /Property 'DisableCCCPhoneNumber' does not exist/,
  },
  badLanguage: { code: `new CccClient({ language: "fr-FR" });`, error: /"fr-FR"' is not assignable/ },
  // With a default sdkAppId, the client's calls may leave SdkAppId out; without one they may not.
  defaultSdkAppId: {
    code: `
      import { ModifyOwnNumberApplyCommand } from "../../../src/index.js";
      const detail = [{ CallType: 2 as const, PhoneNumber: "1", MaxCallCount: 1, MaxCallPSec: 1 }];
      const withDefault = new CccClient({ credentials: { secretId: "id", secretKey: "key" }, sdkAppId: 1400000000 });
      await withDefault.modifyOwnNumberApply({ DetailList: detail });
      await withDefault.modifyOwnNumberApply({ SdkAppId: 7n, DetailList: detail });
      const bare = new CccBareClient({ sdkAppId: 1400000000n });
      await bare.send(ModifyOwnNumberApplyCommand, { DetailList: detail });`,
  },
  // Paginators: the paging members are optional, pages are the action's result, items are the list's item type;
  // the bare function keeps the same types. Waiters resolve to the polled action's result.
  paging: {
    code: `
      import { paginate, waitUntil, DescribeTelCdrCommand, AutoCalloutTaskFinishedWaiter, type TelCdrInfo, type DescribeTelCdrResponse, type DescribeAutoCalloutTaskResponse } from "../../../src/index.js";
      const range = { SdkAppId: 1, StartTimeStamp: 1, EndTimeStamp: 2 };
      const pages: DescribeTelCdrResponse[] = [];
      for await (const page of client.paginateDescribeTelCdr(range, { pageSize: 10 })) pages.push(page);
      const cdrs: TelCdrInfo[] = [];
      for await (const cdr of client.paginateDescribeTelCdr({ ...range, PageNumber: 3 }).items()) cdrs.push(cdr);
      const bare = new CccBareClient({ sdkAppId: 1 });
      for await (const cdr of paginate(bare, DescribeTelCdrCommand, { StartTimeStamp: 1, EndTimeStamp: 2 }).items()) cdrs.push(cdr);
      const t: DescribeAutoCalloutTaskResponse = await client.waitUntilAutoCalloutTaskFinished({ SdkAppId: 1, TaskId: 2 }, { maxWaitMs: 1000 });
      const u: DescribeAutoCalloutTaskResponse = await waitUntil(bare, AutoCalloutTaskFinishedWaiter, { TaskId: 2 }, { maxWaitMs: 1000 });
      export { t, u };`,
  },
  pagingItemType: {
    code: `const n: number[] = []; for await (const cdr of client.paginateDescribeTelCdr({ SdkAppId: 1, StartTimeStamp: 1, EndTimeStamp: 2 }).items()) n.push(cdr);`,
    error: /Argument of type '\{ AcceptTimestamp: number;[^']*' is not assignable to parameter of type 'number'/,
  },
  pagingRequired: {
    code: `client.paginateDescribeTelCdr({ SdkAppId: 1, StartTimeStamp: 1 });`,
    error: /Property 'EndTimeStamp' is missing/,
  },
  waiterNeedsMaxWait: {
    code: `await client.waitUntilAutoCalloutTaskFinished({ SdkAppId: 1, TaskId: 2 }, {});`,
    error: /Property 'maxWaitMs' is missing/,
  },
  missingSdkAppId: {
    code: `await client.modifyOwnNumberApply({ DetailList: [{ CallType: 2, PhoneNumber: "1", MaxCallCount: 1, MaxCallPSec: 1 }] });`,
    error: /Property 'SdkAppId' is missing/,
  },
};

let diagnostics: Map<string, string[]>;

beforeAll(() => {
  const files = new Map(
    Object.entries(snippets).map(([name, s]) => [path.join(dir, `${name}.ts`), `${PRELUDE}\n${s.code}\nexport {};\n`]),
  );
  const result = compile(files, { noUnusedLocals: false });
  diagnostics = new Map([...result].map(([file, list]) => [path.basename(file, ".ts"), list]));
}, 120_000);

describe("public API types", () => {
  it("compiles the valid usage without a diagnostic", () => {
    expect(diagnostics.get("valid")).toEqual([]);
    expect(diagnostics.get("defaultSdkAppId")).toEqual([]);
    expect(diagnostics.get("paging")).toEqual([]);
  });
  for (const [name, s] of Object.entries(snippets)) {
    if (!s.error) continue;
    it(`rejects ${name}`, () => {
      const found = diagnostics.get(name)!;
      expect(found.length).toBeGreaterThan(0);
      expect(found.join("\n")).toMatch(s.error!);
    });
  }
});
