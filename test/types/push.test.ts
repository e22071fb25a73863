/**
 * Type-level tests of ccc-sdk/push: what a handler is given (each push's payload: its own required members as
 * checked, every other member possibly missing or null, EndpointUser a string), what the options take, and the
 * mistakes the compiler catches (a misspelt handler, a missing auth, a member a push does not have).
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compile, root } from "./compile.js";

const dir = path.join(root, "test/types/virtual");

const PRELUDE = `
import http from "node:http";
import { createPushHandler, createTokenEndpoint, toNodeHandler, type CdrPush, type RecordPush, type VoicemailPush, type PushContext } from "../../../src/push/index.js";
`;

const snippets: Record<string, { code: string; error?: RegExp }> = {
  valid: {
    code: `
      const tokens = createTokenEndpoint({ clients: [{ clientId: "id", clientSecret: "secret" }], ttlSeconds: 600 });
      const push = createPushHandler({
        auth: { bearer: tokens.verify },
        onCdr: async (cdr: CdrPush, context: PushContext) => {
          const app: number = cdr.SdkAppId;                        // the push's own required member: always there
          const session: string | null | undefined = cdr.SessionId; // a member of TelCdrInfo: may be missing
          const mail: string | null | undefined = cdr.SeatUser?.Mail;
          const tracks = cdr.ServeParticipants?.map((p) => p.RecordURL) ?? [];
          const id: string | undefined = context.pushId;
          return [app, session, mail, tracks, id];
        },
        onRecord: (r: RecordPush) => { const url: string = r.RecordURL; return url; },
        onVoicemail: (v: VoicemailPush) => { const who: string | null | undefined = v.EndpointUser; return who; },
        maxBodyBytes: 65_536,
        onError: (e) => console.error(e.status, e.errCode, e.message, e.pushId),
      });
      const basic = createPushHandler({ auth: { basic: { username: "u", password: "p" } }, onCdr: () => {} });
      const none = createPushHandler({ auth: { none: true }, onRecord: () => {}, seen: { has: () => false, add: () => {} } });
      const response: Promise<Response> = push(new Request("http://127.0.0.1/"));
      const listener = toNodeHandler(push);
      const server = http.createServer(toNodeHandler(push)); // node:http's IncomingMessage and ServerResponse fit
      const tokenListener = toNodeHandler(tokens.handle);
      export { basic, none, response, listener, tokenListener, server };`,
  },
  misspeltHandler: {
    code: `createPushHandler({ auth: { none: true }, onCDR: () => {} });`,
    error: /'onCDR' does not exist/,
  },
  missingAuth: {
    code: `createPushHandler({ onCdr: () => {} });`,
    error: /Property 'auth' is missing/,
  },
  twoAuthModes: {
    code: `createPushHandler({ auth: { none: true, bearer: "t" }, onCdr: () => {} });`,
    error: /not assignable/,
  },
  noSuchMember: {
    code: `createPushHandler({ auth: { none: true }, onRecord: (r) => r.Caller });`,
    error: /Property 'Caller' does not exist/,
  },
  optionalIsNotCertain: {
    code: `createPushHandler({ auth: { none: true }, onCdr: (c) => { const s: string = c.SessionId; return s; } });`,
    error: /Type 'string \| null \| undefined' is not assignable to type 'string'/,
  },
  endpointUserIsAString: {
    code: `createPushHandler({ auth: { none: true }, onVoicemail: (v) => { const n: number | undefined = v.EndpointUser ?? undefined; return n; } });`,
    error: /Type 'string \| undefined' is not assignable to type 'number \| undefined'/,
  },
};

let diagnostics: Map<string, string[]>;

beforeAll(() => {
  const files = new Map(
    Object.entries(snippets).map(([name, s]) => [
      path.join(dir, `push-${name}.ts`),
      `${PRELUDE}\n${s.code}\nexport {};\n`,
    ]),
  );
  const result = compile(files, { noUnusedLocals: false });
  diagnostics = new Map([...result].map(([file, list]) => [path.basename(file, ".ts").slice("push-".length), list]));
}, 120_000);

describe("ccc-sdk/push types", () => {
  it("compiles the valid usage without a diagnostic", () => {
    expect(diagnostics.get("valid")).toEqual([]);
  });
  for (const [name, s] of Object.entries(snippets)) {
    if (!s.error) continue;
    it(`rejects ${name}`, () => {
      expect(diagnostics.get(name)!.join("\n")).toMatch(s.error!);
    });
  }
});
