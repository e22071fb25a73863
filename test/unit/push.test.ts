/**
 * The push handler (ccc-sdk/push) in-process, one web Request at a time: the reply contract, each auth mode, the
 * lenient payload check, de-duplication by X-TCCC-PUSH-UUID, the body bound, the token endpoint (RFC 6749 §4.4) and
 * what it keeps secret. test/integration/push.test.ts drives the same handler over HTTP from the emulator.
 */
import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import {
  type CccPushError,
  createMemorySeenStore,
  createPushHandler,
  createTokenEndpoint,
  type PushHandlerOptions,
  pushes,
  type SeenStore,
} from "../../src/push/index.js";

const URL_BASE = "http://127.0.0.1:1/ccc/push";
const PASSWORD = "pa55-w0rd-of-the-console";
const CDR = pushes.Cdr.example;
const RECORD = pushes.Record.example;

interface PushInit {
  readonly action?: string | null;
  readonly version?: string;
  readonly body?: string | ReadableStream<Uint8Array> | null;
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  readonly uuid?: string;
}

/** A push as CCC sends it: `POST <url>?action=cdr&version=1`, JSON, with an X-TCCC-PUSH-UUID. */
function push(init: PushInit = {}): Request {
  const url = new URL(URL_BASE);
  const action = init.action === undefined ? "cdr" : init.action;
  if (action !== null) url.searchParams.set("action", action);
  url.searchParams.set("version", init.version ?? "1");
  const method = init.method ?? "POST";
  const body = init.body !== undefined ? init.body : JSON.stringify(init.json ?? CDR);
  return new Request(url, {
    method,
    headers: {
      "Content-Type": "application/json;charset=utf8",
      "X-TCCC-PUSH-UUID": init.uuid ?? crypto.randomUUID(),
      ...init.headers,
    },
    ...(method === "GET" || method === "HEAD" ? {} : { body }),
  });
}

async function reply(response: Response): Promise<{ status: number; ErrCode: number; ErrMsg: string }> {
  const body = (await response.json()) as { ErrCode: number; ErrMsg: string };
  return { status: response.status, ...body };
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;

function handler(options: Partial<PushHandlerOptions> = {}) {
  const onCdr = vi.fn();
  const onRecord = vi.fn();
  const errors: CccPushError[] = [];
  const handle = createPushHandler({
    auth: { none: true },
    onCdr,
    onRecord,
    onError: (e) => errors.push(e),
    ...options,
  } as PushHandlerOptions);
  return { handle, onCdr, onRecord, errors };
}

describe("createPushHandler: the reply contract", () => {
  it('answers a CDR push {"ErrCode":0,"ErrMsg":""} after its handler ran with the payload and the push\'s UUID', async () => {
    const { handle, onCdr } = handler();
    const response = await handle(push({ uuid: "u-1" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.text()).toBe('{"ErrCode":0,"ErrMsg":""}');
    expect(onCdr).toHaveBeenCalledTimes(1);
    const [payload, context] = onCdr.mock.calls[0]!;
    expect(payload).toEqual(CDR);
    expect(context).toMatchObject({ pushId: "u-1", action: "cdr", version: "1" });
  });

  it("refuses what is not a POST with 405 and Allow: POST", async () => {
    const { handle, onCdr } = handler();
    const response = await handle(push({ method: "GET" }));
    expect(response.headers.get("allow")).toBe("POST");
    expect(await reply(response)).toMatchObject({ status: 405, ErrCode: 405 });
    expect(onCdr).not.toHaveBeenCalled();
  });

  it("refuses a push URL without action=, and an action the SDK does not know, with 400", async () => {
    const { handle } = handler();
    expect(await reply(await handle(push({ action: null })))).toMatchObject({
      status: 400,
      ErrMsg: expect.stringContaining("no action="),
    });
    expect(await reply(await handle(push({ action: "sms" })))).toMatchObject({
      status: 400,
      ErrMsg: expect.stringMatching(/unknown push action=sms.*cdr, record, voicemail/),
    });
  });

  it("answers 501 for a push the app gave no handler for (onVoicemail), so CCC's records show it", async () => {
    const { handle, errors } = handler();
    const response = await handle(push({ action: "voicemail", json: pushes.Voicemail.example }));
    expect(await reply(response)).toMatchObject({
      status: 501,
      ErrCode: 501,
      ErrMsg: expect.stringContaining("action=voicemail"),
    });
    expect(errors.map((e) => e.status)).toEqual([501]);
  });

  it("refuses a declared Content-Type that is not JSON with 415, and takes none at all", async () => {
    const { handle, onCdr } = handler();
    expect((await handle(push({ headers: { "Content-Type": "text/plain" } }))).status).toBe(415);
    const bare = new Request(`${URL_BASE}?action=cdr&version=1`, { method: "POST", body: JSON.stringify(CDR) });
    bare.headers.delete("content-type");
    expect((await reply(await handle(bare))).ErrCode).toBe(0);
    expect(onCdr).toHaveBeenCalledTimes(1);
  });

  it("refuses a body over maxBodyBytes with 413, announced or streamed", async () => {
    const { handle, onCdr } = handler({ maxBodyBytes: 1000 });
    const big = JSON.stringify({ ...CDR, UserRemark: "x".repeat(2000) });
    expect((await reply(await handle(push({ body: big })))).status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new TextEncoder().encode(big.slice(i * 500, (i + 1) * 500)));
        c.close();
      },
    });
    const streamed = new Request(`${URL_BASE}?action=cdr`, {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect((await reply(await handle(streamed))).status).toBe(413);
    expect(onCdr).not.toHaveBeenCalled();
    expect(handle.maxBodyBytes).toBe(1000);
  });
});

describe("createPushHandler: the payload, checked leniently", () => {
  const malformed: [string, unknown, RegExp][] = [
    ["not JSON", "{ SdkAppId: 1", /not valid JSON/],
    ["a list", "[1,2]", /must be a JSON object, got a list/],
    ["null", "null", /must be a JSON object, got null/],
    ["a member of the wrong type", { ...CDR, SdkAppId: "1400264214" }, /SdkAppId must be an integer, got the string/],
    ["a nested member of the wrong type", { ...CDR, SeatUser: { Mail: 7 } }, /SeatUser\.Mail must be a string/],
    ["a list that is not one", { ...CDR, ServeParticipants: {} }, /ServeParticipants must be a list/],
    ["its own required member missing", { ...CDR, SdkAppId: undefined }, /SdkAppId is required/],
    [
      "an integer beyond 2^53",
      `{"SdkAppId":12345678901234567890}`,
      /SdkAppId holds 12345678901234567890, an integer beyond/,
    ],
    ["nested 65 levels deep", `{"UserRemark":${"[".repeat(65)}${"]".repeat(65)}}`, /nested more than 64 levels/],
  ];
  it.each(malformed)("refuses %s with 400, naming the problem", async (_name, body, message) => {
    const { handle, onCdr, errors } = handler();
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const r = await reply(await handle(push({ body: text })));
    expect(r).toMatchObject({ status: 400, ErrCode: 400, ErrMsg: expect.stringMatching(message) });
    expect(onCdr).not.toHaveBeenCalled();
    expect(errors[0]?.message).toBe(r.ErrMsg);
  });

  it("keeps members the spec does not know, takes null as absent, and does not refuse missing members of models", async () => {
    const { handle, onCdr } = handler();
    const payload = { SdkAppId: 1, NewMember: { deep: [1] }, Caller: null, SeatUser: { Name: "only a name" } };
    expect((await reply(await handle(push({ json: payload })))).ErrCode).toBe(0);
    expect(onCdr.mock.calls[0]![0]).toEqual(payload);
  });

  it("hands the voicemail handler EndpointUser as a string, also when CCC wrote it as a number", async () => {
    const onVoicemail = vi.fn();
    const handle = createPushHandler({ auth: { none: true }, onVoicemail });
    const sample = pushes.Voicemail.example;
    expect(sample.EndpointUser).toBe(13123456789);
    expect((await reply(await handle(push({ action: "voicemail", json: sample })))).ErrCode).toBe(0);
    expect(onVoicemail.mock.calls[0]![0]).toMatchObject({ EndpointUser: "13123456789", SessionId: sample.SessionId });
  });

  it("takes a recording push and refuses one without its RecordURL", async () => {
    const { handle, onRecord } = handler();
    expect((await reply(await handle(push({ action: "record", json: RECORD })))).ErrCode).toBe(0);
    const without = { ...RECORD, RecordURL: undefined };
    expect(await reply(await handle(push({ action: "record", json: without })))).toMatchObject({
      status: 400,
      ErrMsg: expect.stringContaining("RecordURL is required"),
    });
    expect(onRecord).toHaveBeenCalledTimes(1);
  });
});

describe("createPushHandler: auth", () => {
  it("is required: no auth, or an ambiguous one, is a TypeError that never repeats the password", () => {
    const bad = [
      {},
      { auth: undefined },
      { auth: {} },
      { auth: { none: false } },
      { auth: { none: true, basic: { username: "u", password: PASSWORD } } },
      { auth: { basic: { username: "u:x", password: PASSWORD } } },
      { auth: { basic: { username: "u", password: "" } } },
      { auth: { bearer: "" } },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        createPushHandler({ ...options, onCdr: () => {} } as PushHandlerOptions);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(TypeError);
      expect(`${(error as Error).message}\n${(error as Error).stack}`).not.toContain(PASSWORD);
    }
  });

  it("basic: 401 with WWW-Authenticate without or with a wrong credential, 200 with the right one", async () => {
    const { handle, onCdr } = handler({ auth: { basic: { username: "ccc", password: PASSWORD } } });
    const missing = await handle(push());
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Basic realm="ccc-push", charset="UTF-8"');
    for (const wrong of [basic("ccc", "nope"), basic("other", PASSWORD), basic("ccc", `${PASSWORD}x`), "Basic !!"]) {
      const r = await handle(push({ headers: { Authorization: wrong } }));
      expect(await reply(r)).toMatchObject({ status: 401, ErrCode: 401 });
    }
    expect(onCdr).not.toHaveBeenCalled();
    expect((await reply(await handle(push({ headers: { Authorization: basic("ccc", PASSWORD) } })))).ErrCode).toBe(0);
    expect(onCdr).toHaveBeenCalledTimes(1);
  });

  it("basic: a UTF-8 username and password", async () => {
    const { handle } = handler({ auth: { basic: { username: "客服", password: "密码-ü" } } });
    expect((await handle(push({ headers: { Authorization: basic("客服", "密码-ü") } }))).status).toBe(200);
  });

  it("bearer: a fixed token or a check function; a throwing check is a 500 CCC retries", async () => {
    const fixed = handler({ auth: { bearer: "tok-123" } });
    expect((await fixed.handle(push())).headers.get("www-authenticate")).toBe('Bearer realm="ccc-push"');
    const wrong = await fixed.handle(push({ headers: { Authorization: "Bearer tok-124" } }));
    expect(wrong.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(wrong.status).toBe(401);
    expect((await fixed.handle(push({ headers: { Authorization: "Bearer tok-123" } }))).status).toBe(200);

    const check = handler({ auth: { bearer: async (t: string) => t === "good" } });
    expect((await check.handle(push({ headers: { Authorization: "Bearer bad" } }))).status).toBe(401);
    expect((await check.handle(push({ headers: { Authorization: "Bearer good" } }))).status).toBe(200);

    const throwing = handler({
      auth: {
        bearer: () => {
          throw new Error("token store down");
        },
      },
    });
    expect((await throwing.handle(push({ headers: { Authorization: "Bearer x" } }))).status).toBe(500);
    expect(throwing.errors[0]!.cause).toMatchObject({ message: "token store down" });
  });

  it("none: takes a push whatever Authorization it carries", async () => {
    const { handle } = handler({ auth: { none: true } });
    expect((await handle(push({ headers: { Authorization: "Bearer whatever" } }))).status).toBe(200);
  });
});

describe("createPushHandler: options", () => {
  it("refuses an unknown option (a misspelt handler), a handler that is not a function, and no handler at all", () => {
    expect(() => createPushHandler({ auth: { none: true }, onCDR: () => {} } as never)).toThrow(
      /unknown option onCDR: the options are .*onCdr, onRecord, onVoicemail/,
    );
    expect(() => createPushHandler({ auth: { none: true }, onCdr: "x" } as never)).toThrow(/onCdr must be a function/);
    expect(() => createPushHandler({ auth: { none: true } })).toThrow(/at least one push handler/);
    expect(() => createPushHandler({ auth: { none: true }, onCdr: () => {}, maxBodyBytes: 0 })).toThrow(/maxBodyBytes/);
    expect(() => createPushHandler({ auth: { none: true }, onCdr: () => {}, seen: {} as SeenStore })).toThrow(/seen/);
  });
});

describe("createPushHandler: de-duplication by X-TCCC-PUSH-UUID", () => {
  it("answers a repeated UUID as taken without calling the handler again", async () => {
    const { handle, onCdr } = handler();
    for (let i = 0; i < 3; i++) expect((await reply(await handle(push({ uuid: "same" })))).ErrCode).toBe(0);
    await handle(push({ uuid: "other" }));
    expect(onCdr).toHaveBeenCalledTimes(2);
  });

  it("answers a handler that throws with ErrCode 500 and does not mark the UUID, so CCC's retry runs it again", async () => {
    let calls = 0;
    const { handle, errors } = handler({
      onCdr: () => {
        if (++calls === 1) throw new Error(`database down (password ${PASSWORD})`);
      },
    });
    const first = await reply(await handle(push({ uuid: "retry-me" })));
    expect(first).toEqual({ status: 500, ErrCode: 500, ErrMsg: "the push handler failed; push again" });
    expect(first.ErrMsg).not.toContain(PASSWORD);
    expect(errors[0]!.cause).toBeInstanceOf(Error);
    expect((await reply(await handle(push({ uuid: "retry-me" })))).ErrCode).toBe(0);
    expect((await reply(await handle(push({ uuid: "retry-me" })))).ErrCode).toBe(0);
    expect(calls).toBe(2);
  });

  it("gives a retry that arrives while the first delivery runs the first one's answer, calling the handler once", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const onCdr = vi.fn(() => gate);
    const { handle } = handler({ onCdr });
    const first = handle(push({ uuid: "slow" }));
    const second = handle(push({ uuid: "slow" }));
    await new Promise((r) => setTimeout(r, 10));
    release();
    expect((await Promise.all([first, second])).map((r) => r.status)).toEqual([200, 200]);
    expect(onCdr).toHaveBeenCalledTimes(1);
  });

  it("handles a push without a UUID every time (there is nothing to recognise it by)", async () => {
    const { handle, onCdr } = handler();
    const bare = () => {
      const r = push();
      r.headers.delete("x-tccc-push-uuid");
      return r;
    };
    await handle(bare());
    await handle(bare());
    expect(onCdr).toHaveBeenCalledTimes(2);
  });

  it("uses the store given: a failing has() is a 500 (retried), a failing add() still answers the push taken", async () => {
    const ids = new Set<string>();
    let failHas = true;
    let failAdd = true;
    const seen: SeenStore = {
      has: async (id) => {
        if (failHas) throw new Error("redis down");
        return ids.has(id);
      },
      add: async (id) => {
        if (failAdd) throw new Error("redis down");
        ids.add(id);
      },
    };
    const { handle, onCdr, errors } = handler({ seen });
    expect((await handle(push({ uuid: "s" }))).status).toBe(500);
    failHas = false;
    expect((await handle(push({ uuid: "s" }))).status).toBe(200);
    expect(errors.map((e) => e.message)).toEqual([
      "the de-duplication store failed; push again",
      "the push was handled but its UUID could not be stored",
    ]);
    failAdd = false;
    await handle(push({ uuid: "s" }));
    await handle(push({ uuid: "s" }));
    expect(onCdr).toHaveBeenCalledTimes(2);
  });

  it("refuses a UUID longer than 256 characters", async () => {
    const { handle } = handler();
    expect((await handle(push({ uuid: "u".repeat(257) }))).status).toBe(400);
  });

  it("keeps a throwing onError from changing the answer", async () => {
    const handle = createPushHandler({
      auth: { bearer: "t" },
      onCdr: () => {},
      onError: () => {
        throw new Error("logger broke");
      },
    });
    expect((await handle(push())).status).toBe(401);
  });
});

describe("createMemorySeenStore", () => {
  it("forgets the oldest UUID past maxEntries and any older than maxAgeMs", async () => {
    let now = 0;
    const store = createMemorySeenStore({ maxEntries: 3, maxAgeMs: 1000, now: () => now });
    for (const id of ["a", "b", "c", "d"]) store.add(id);
    expect(await store.has("a")).toBe(false);
    expect(await store.has("d")).toBe(true);
    now = 999;
    expect(await store.has("b")).toBe(true);
    now = 1001;
    expect(await store.has("b")).toBe(false);
    store.add("e");
    expect(await store.has("e")).toBe(true);
  });

  it("refuses bounds that are not positive whole numbers", () => {
    expect(() => createMemorySeenStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => createMemorySeenStore({ maxAgeMs: 1.5 })).toThrow(/maxAgeMs/);
  });
});

const CLIENT = { clientId: "ccc-client", clientSecret: "s3cret-of-the-client" };

function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}): Request {
  return new Request("http://127.0.0.1:1/oauth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

describe("createTokenEndpoint (RFC 6749 §4.4 client credentials)", () => {
  it("issues a bearer token for client credentials by Basic or by form fields, never cached", async () => {
    const tokens = createTokenEndpoint({ clients: [CLIENT], ttlSeconds: 600 });
    for (const request of [
      tokenRequest(
        { grant_type: "client_credentials" },
        { Authorization: basic(CLIENT.clientId, CLIENT.clientSecret) },
      ),
      tokenRequest({
        grant_type: "client_credentials",
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      }),
    ]) {
      const response = await tokens.handle(request);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("pragma")).toBe("no-cache");
      const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
      expect(body).toMatchObject({ token_type: "Bearer", expires_in: 600 });
      expect(await tokens.verify(body.access_token)).toBe(true);
    }
  });

  it("decodes Basic's form-urlencoded client ID and secret (§2.3.1)", async () => {
    const client = { clientId: "id with:colon", clientSecret: "pass word+%" };
    const tokens = createTokenEndpoint({ clients: [client] });
    const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
    const auth = basic(encode(client.clientId), encode(client.clientSecret));
    expect(
      (await tokens.handle(tokenRequest({ grant_type: "client_credentials" }, { Authorization: auth }))).status,
    ).toBe(200);
  });

  it("answers the errors of §5.2", async () => {
    const tokens = createTokenEndpoint({ clients: [CLIENT] });
    const error = async (r: Request) => {
      const response = await tokens.handle(r);
      return {
        status: response.status,
        ...((await response.json()) as { error: string }),
        www: response.headers.get("www-authenticate"),
      };
    };
    const creds = { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };
    expect(await error(tokenRequest({ ...creds }))).toMatchObject({ status: 400, error: "invalid_request" });
    expect(await error(tokenRequest({ grant_type: "password", ...creds }))).toMatchObject({
      status: 400,
      error: "unsupported_grant_type",
    });
    expect(
      await error(tokenRequest({ grant_type: "client_credentials", ...creds }, { Authorization: basic("a", "b") })),
    ).toMatchObject({ status: 400, error: "invalid_request" });
    const wrongs: Record<string, string>[] = [
      { client_id: CLIENT.clientId, client_secret: "wrong" },
      { client_id: "nobody", client_secret: CLIENT.clientSecret },
      {},
    ];
    for (const wrong of wrongs)
      expect(await error(tokenRequest({ grant_type: "client_credentials", ...wrong }))).toMatchObject({
        status: 401,
        error: "invalid_client",
        www: expect.stringContaining("Basic"),
      });
    const json = new Request("http://127.0.0.1:1/t", {
      method: "POST",
      body: "{}",
      headers: { "Content-Type": "application/json" },
    });
    expect(await error(json)).toMatchObject({ status: 400, error: "invalid_request" });
    expect((await tokens.handle(new Request("http://127.0.0.1:1/t"))).status).toBe(405);
  });

  it("verifies only its own unexpired tokens for clients still listed", async () => {
    let now = 1_700_000_000_000;
    const signingKey = new Uint8Array(32).fill(7);
    const tokens = createTokenEndpoint({ clients: [CLIENT], ttlSeconds: 60, now: () => now, signingKey });
    const body = (await (
      await tokens.handle(
        tokenRequest({
          grant_type: "client_credentials",
          ...{ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret },
        }),
      )
    ).json()) as { access_token: string };
    const token = body.access_token;
    expect(await tokens.verify(token)).toBe(true);
    const [client, expires, nonce, mac] = token.split(".") as [string, string, string, string];
    expect(await tokens.verify(`${client}.${Number(expires) + 3600}.${nonce}.${mac}`)).toBe(false);
    expect(await tokens.verify(`${token}x`)).toBe(false);
    expect(await tokens.verify("")).toBe(false);
    expect(await createTokenEndpoint({ clients: [CLIENT] }).verify(token)).toBe(false);
    const sameKeyOtherClients = createTokenEndpoint({
      clients: [{ clientId: "x", clientSecret: "y" }],
      signingKey,
      now: () => now,
    });
    expect(await sameKeyOtherClients.verify(token)).toBe(false);
    now += 61_000;
    expect(await tokens.verify(token)).toBe(false);
  });

  it("is the push handler's bearer check", async () => {
    const tokens = createTokenEndpoint({ clients: [CLIENT] });
    const { handle, onCdr } = handler({ auth: { bearer: tokens.verify } });
    const { access_token } = (await (
      await tokens.handle(
        tokenRequest({
          grant_type: "client_credentials",
          client_id: CLIENT.clientId,
          client_secret: CLIENT.clientSecret,
        }),
      )
    ).json()) as { access_token: string };
    expect((await handle(push({ headers: { Authorization: `Bearer ${access_token}` } }))).status).toBe(200);
    expect((await handle(push({ headers: { Authorization: "Bearer made.up.to.ken" } }))).status).toBe(401);
    expect(onCdr).toHaveBeenCalledTimes(1);
  });

  it("refuses malformed options without repeating a secret", () => {
    for (const options of [
      { clients: [] },
      { clients: [{ clientId: "a", clientSecret: "" }] },
      { clients: [CLIENT, CLIENT] },
      { clients: [CLIENT], ttlSeconds: 0 },
      { clients: [CLIENT], signingKey: new Uint8Array(8) },
    ]) {
      let error: unknown;
      try {
        createTokenEndpoint(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect(String((error as Error).stack)).not.toContain(CLIENT.clientSecret);
    }
  });
});

describe("secrets", () => {
  it("never show in util.inspect, JSON.stringify, answers or errors of the handler and the token endpoint", async () => {
    const tokens = createTokenEndpoint({ clients: [CLIENT] });
    const errors: CccPushError[] = [];
    const handle = createPushHandler({
      auth: { basic: { username: "ccc", password: PASSWORD } },
      onCdr: () => {},
      onError: (e) => errors.push(e),
    });
    const answers = [
      await (await handle(push({ headers: { Authorization: basic("ccc", `${PASSWORD}!`) } }))).text(),
      await (
        await tokens.handle(
          tokenRequest({
            grant_type: "client_credentials",
            client_id: CLIENT.clientId,
            client_secret: `${CLIENT.clientSecret}!`,
          }),
        )
      ).text(),
    ];
    const seen = [
      inspect(handle, { showHidden: true, depth: 10 }),
      inspect(tokens, { showHidden: true, depth: 10 }),
      JSON.stringify(tokens),
      ...answers,
      ...errors.map(
        (e) => `${e.message} ${e.stack} ${inspect(e, { showHidden: true, depth: 10 })} ${JSON.stringify(e)}`,
      ),
    ].join("\n");
    expect(errors).toHaveLength(1);
    for (const secret of [PASSWORD, CLIENT.clientSecret]) expect(seen).not.toContain(secret);
  });
});
