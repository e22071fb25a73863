/**
 * Credentials: redaction, the environment, the profile file, the default chain and the refreshing cache.
 * Profile files live in a fresh temporary directory per test; the cache runs on an injected clock.
 */
import { Console } from "node:console";
import { chmod, mkdir, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { format, inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  checkCredentials,
  CredentialsCache,
  defaultCredentialsChain,
  fromEnv,
  fromProfile,
  redacted,
  tryFromEnv,
  type Credentials,
} from "../../src/credentials/index.js";
import { CccConfigError } from "../../src/errors.js";
import { NO_METADATA_ENDPOINT, NO_METADATA_ENV } from "../support/metadata.js";

const SECRET = "sk-unit-0123456789-SECRET";
const TOKEN = "tok-unit-SECRET-TOKEN";
const OTHER_SECRET = "sk-other-9876543210-SECRET";
/** Every secret value used below; no error message and no printout may contain one. */
const SECRETS = [SECRET, TOKEN, OTHER_SECRET, "abc==def="];
const T0 = 1_700_000_000_000;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ccc-credentials-"));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

async function file(text: string | Uint8Array, name = "credentials"): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

/**
 * Awaits a rejection, checks it is a `CccConfigError` matching `message` and holding no secret, also when
 * inspected — except in the `cause` a provider threw (`foreignCause`), which is the provider's own error.
 */
async function configError(
  promise: Promise<unknown> | (() => unknown),
  message: RegExp | string,
  { foreignCause = false } = {},
) {
  let error: unknown;
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CccConfigError);
  const e = error as CccConfigError;
  if (typeof message === "string") expect(e.message).toContain(message);
  else expect(e.message).toMatch(message);
  expectNoSecret(e.message);
  if (!foreignCause) expectNoSecret(inspect(e));
  return e;
}

function printed(value: unknown): string {
  let out = "";
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString();
      done();
    },
  });
  new Console(sink).log(value);
  new Console(sink).log("%o %O %j %s", value, value, value, value);
  new Console(sink).dir(value, { showHidden: true, depth: 10 });
  return out;
}

/** Only `secretId` (and `expiresAt`) show, in every way of looking at the object; the getters still read. */
function expectRedacted(c: Credentials, secretKey: string, token?: string): void {
  const visible = c.expiresAt === undefined ? ["secretId"] : ["secretId", "expiresAt"];
  expect(Object.keys(c)).toEqual(visible);
  expect(Reflect.ownKeys(c)).toEqual(visible);
  expect(Object.keys({ ...c })).toEqual(visible);
  expect(Object.keys(structuredClone(c))).toEqual(visible);
  expect(Object.isFrozen(c)).toBe(true);
  const views = [
    JSON.stringify(c),
    JSON.stringify({ nested: { deeper: [c] } }),
    JSON.stringify({ ...c }),
    inspect(c),
    inspect(c, { showHidden: true, depth: 10 }),
    inspect({ a: { b: { c } } }, { showHidden: true, depth: 10 }),
    format("%o", c),
    format("%O", { c }),
    printed(c),
    printed({ wrapped: c }),
    String(Object.entries(c)),
    JSON.stringify(Object.getOwnPropertyDescriptors(c)),
  ];
  for (const view of views) {
    expect(view).toContain(c.secretId);
    expect(view).not.toContain(secretKey);
    if (token) expect(view).not.toContain(token);
    expectNoSecret(view);
  }
  expect(inspect(c, { showHidden: true, depth: 10 })).toContain("secretKey: [redacted]");
  if (token) expect(inspect(c)).toContain("token: [redacted]");
  expect(c.secretKey).toBe(secretKey);
  expect(c.token).toBe(token);
}

describe("redaction", () => {
  it("checkCredentials returns a copy showing only the SecretId, yet reading the secrets", () => {
    const c = checkCredentials({ secretId: " AKIDRED ", secretKey: SECRET, token: TOKEN }, "a test");
    expect(c.secretId).toBe("AKIDRED");
    expectRedacted(c, SECRET, TOKEN);
    expect(JSON.stringify(c)).toBe('{"secretId":"AKIDRED"}');
    expect({ ...c }).toEqual({ secretId: "AKIDRED" });
    expect(inspect(c)).toBe("Credentials { secretId: 'AKIDRED', secretKey: [redacted], token: [redacted] }");
  });

  it("keeps expiresAt, visibly, through checkCredentials and redacted()", () => {
    const c = checkCredentials({ secretId: "AKIDEXP", secretKey: SECRET, token: TOKEN, expiresAt: T0 }, "a test");
    expect(c.expiresAt).toBe(T0);
    expectRedacted(c, SECRET, TOKEN);
    expect(JSON.stringify(c)).toBe(`{"secretId":"AKIDEXP","expiresAt":${T0}}`);
    expect(inspect(c)).toContain(`expiresAt: ${new Date(T0).toISOString()}`);
    const again = redacted(c);
    expect(again.expiresAt).toBe(T0);
    expectRedacted(again, SECRET, TOKEN);
    expect(redacted({ secretId: "A", secretKey: SECRET }).expiresAt).toBeUndefined();
  });

  it("redacted() also hides credentials without a token, and copies of copies", () => {
    const c = redacted(redacted({ secretId: "AKIDNOTOKEN", secretKey: SECRET }));
    expectRedacted(c, SECRET);
    expect("token" in c && c.token).toBe(undefined);
    expect(inspect(c)).not.toContain("token");
  });

  it("drops an empty token and rejects invalid values without echoing them", async () => {
    expect(checkCredentials({ secretId: "A", secretKey: SECRET, token: "" }, "x").token).toBeUndefined();
    await configError(() => checkCredentials({ secretId: " ", secretKey: SECRET }, "src"), /src: secretId/);
    await configError(() => checkCredentials({ secretId: "A", secretKey: "" }, "src"), /secretKey is missing/);
    await configError(
      () => checkCredentials({ secretId: "A", secretKey: SECRET, token: 5 as unknown as string }, "src"),
      /token must be a string/,
    );
    await configError(() => checkCredentials(null as unknown as Credentials, "src"), /must be an object/);
  });

  it("checks expiresAt: milliseconds since the epoch, with a hint for seconds", async () => {
    await configError(
      () => checkCredentials({ secretId: "A", secretKey: SECRET, expiresAt: T0 / 1000 }, "the provider"),
      /expiresAt must be milliseconds since the epoch, got 1700000000, which looks like seconds/,
    );
    await configError(
      () =>
        checkCredentials({ secretId: "A", secretKey: SECRET, expiresAt: SECRET as unknown as number }, "the provider"),
      /expiresAt must be a number of milliseconds since the epoch, got a string/,
    );
    await configError(
      () => checkCredentials({ secretId: "A", secretKey: SECRET, expiresAt: Number.NaN }, "p"),
      /got NaN/,
    );
    await configError(() => checkCredentials({ secretId: "A", secretKey: SECRET, expiresAt: 9e15 }, "p"), /range/);
  });
});

describe("environment", () => {
  it("tryFromEnv answers undefined unless both variables are set, without throwing", () => {
    expect(tryFromEnv({})).toBeUndefined();
    expect(tryFromEnv({ TENCENTCLOUD_SECRET_ID: "AKIDENV" })).toBeUndefined();
    expect(tryFromEnv({ TENCENTCLOUD_SECRET_KEY: SECRET })).toBeUndefined();
    expect(tryFromEnv({ TENCENTCLOUD_SECRET_ID: "", TENCENTCLOUD_SECRET_KEY: SECRET })).toBeUndefined();
    const c = tryFromEnv({
      TENCENTCLOUD_SECRET_ID: "AKIDENV",
      TENCENTCLOUD_SECRET_KEY: SECRET,
      TENCENTCLOUD_SESSION_TOKEN: TOKEN,
    });
    expect(c?.secretId).toBe("AKIDENV");
    expectRedacted(c!, SECRET, TOKEN);
  });

  it("fromEnv throws a config error naming the variables, and reads process.env by default", async () => {
    await configError(() => fromEnv({}), /TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/);
    vi.stubEnv("TENCENTCLOUD_SECRET_ID", "AKIDPROCESS");
    vi.stubEnv("TENCENTCLOUD_SECRET_KEY", SECRET);
    vi.stubEnv("TENCENTCLOUD_SESSION_TOKEN", "");
    const c = fromEnv();
    expect(c.secretId).toBe("AKIDPROCESS");
    expectRedacted(c, SECRET);
  });
});

const PROFILE_FILE = [
  "# Tencent Cloud credentials",
  "; another comment",
  "",
  "[default]",
  `secret_id = AKIDDEFAULT`,
  `secret_key = ${SECRET}`,
  "region = ap-guangzhou",
  "",
  "[prod]",
  "  secret_id=AKIDPROD  ",
  `SECRET_KEY   =   abc==def=`,
  `token=${TOKEN}`,
  "",
].join("\n");

describe("fromProfile: parsing", () => {
  it("reads the default profile, with spaces around =, comments, blank lines and unknown keys", async () => {
    const c = await fromProfile({ file: await file(PROFILE_FILE), env: {} })();
    expect(c.secretId).toBe("AKIDDEFAULT");
    expect(c.token).toBeUndefined();
    expectRedacted(c, SECRET);
  });

  it("reads a named profile: token, `=` inside the value, indentation, upper-case keys", async () => {
    const c = await fromProfile({ file: await file(PROFILE_FILE), profile: "prod", env: {} })();
    expect(c.secretId).toBe("AKIDPROD");
    expect(c.secretKey).toBe("abc==def=");
    expectRedacted(c, "abc==def=", TOKEN);
  });

  it("takes TENCENTCLOUD_PROFILE when no profile is given, and the option over the variable", async () => {
    const path = await file(PROFILE_FILE);
    expect((await fromProfile({ file: path, env: { TENCENTCLOUD_PROFILE: "prod" } })()).secretId).toBe("AKIDPROD");
    expect(
      (await fromProfile({ file: path, profile: "default", env: { TENCENTCLOUD_PROFILE: "prod" } })()).secretId,
    ).toBe("AKIDDEFAULT");
    vi.stubEnv("TENCENTCLOUD_PROFILE", "prod");
    expect((await fromProfile({ file: path })()).secretId).toBe("AKIDPROD");
  });

  it("handles CRLF line ends and a UTF-8 byte order mark", async () => {
    const crlf = PROFILE_FILE.replace(/\n/g, "\r\n");
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(crlf)]);
    const path = await file(bom);
    const c = await fromProfile({ file: path, env: {} })();
    expect(c.secretId).toBe("AKIDDEFAULT");
    expect(c.secretKey).toBe(SECRET);
    const prod = await fromProfile({ file: path, profile: "prod", env: {} })();
    expect(prod.token).toBe(TOKEN);
    expect(prod.secretKey).toBe("abc==def=");
  });

  it("reads ~/.tencentcloud/credentials by default, with the home directory taken at call time", async () => {
    const provider = fromProfile({ env: {} });
    await mkdir(join(dir, ".tencentcloud"));
    await writeFile(join(dir, ".tencentcloud", "credentials"), PROFILE_FILE);
    vi.stubEnv("HOME", dir);
    vi.stubEnv("USERPROFILE", dir);
    expect((await provider()).secretId).toBe("AKIDDEFAULT");
    expect((await fromProfile({ file: "~/.tencentcloud/credentials", profile: "prod", env: {} })()).secretId).toBe(
      "AKIDPROD",
    );
  });

  it("reads the file named by TENCENTCLOUD_CREDENTIALS_FILE, and the file option over it", async () => {
    const path = await file(PROFILE_FILE);
    const other = await file(`[default]\nsecret_id = AKIDOTHER\nsecret_key = ${OTHER_SECRET}\n`, "other");
    const env = { TENCENTCLOUD_CREDENTIALS_FILE: path };
    expect((await fromProfile({ env })()).secretId).toBe("AKIDDEFAULT");
    expect((await fromProfile({ env, file: other })()).secretId).toBe("AKIDOTHER");
  });

  it("treats an empty token as absent", async () => {
    const path = await file(`[default]\nsecret_id = AKID\nsecret_key = ${SECRET}\ntoken =\n`);
    expect((await fromProfile({ file: path, env: {} })()).token).toBeUndefined();
  });

  it("is lazy, remembers the credentials per provider, and does not remember failures", async () => {
    const path = join(dir, "credentials");
    const provider = fromProfile({ file: path, env: {} });
    await configError(provider(), "does not exist");
    await writeFile(path, PROFILE_FILE);
    const first = await provider();
    expect(first.secretId).toBe("AKIDDEFAULT");
    await writeFile(path, `[default]\nsecret_id = AKIDCHANGED\nsecret_key = ${OTHER_SECRET}\n`);
    expect(await provider()).toBe(first); // not re-read: documented
    expect((await fromProfile({ file: path, env: {} })()).secretId).toBe("AKIDCHANGED"); // a new provider re-reads
    await unlink(path);
    expect(await provider()).toBe(first);
  });

  it("shares one read between concurrent calls", async () => {
    const provider = fromProfile({ file: await file(PROFILE_FILE), env: {} });
    const all = await Promise.all(Array.from({ length: 20 }, () => provider()));
    for (const c of all) expect(c).toBe(all[0]);
  });
});

describe("fromProfile: errors", () => {
  it("a missing file", async () => {
    const path = join(dir, "nope", "credentials");
    const e = await configError(fromProfile({ file: path, env: {} })(), "does not exist");
    expect(e.message).toContain(path);
    expect(e.message).toContain("[default]");
    const fromVariable = await configError(
      fromProfile({ env: { TENCENTCLOUD_CREDENTIALS_FILE: path } })(),
      "(from TENCENTCLOUD_CREDENTIALS_FILE)",
    );
    expect(fromVariable.message).toContain(path);
  });

  it("an unknown profile lists the profiles present", async () => {
    const path = await file(PROFILE_FILE);
    const e = await configError(
      fromProfile({ file: path, profile: "staging", env: {} })(),
      `profile "staging" is not in the credentials file ${path}; the profiles present are "default", "prod"`,
    );
    expect(e.message).not.toContain("AKID");
    await configError(
      fromProfile({ file: path, env: { TENCENTCLOUD_PROFILE: "qa" } })(),
      'profile "qa" (from TENCENTCLOUD_PROFILE) is not in',
    );
    await configError(
      fromProfile({ file: await file("# only a comment\n\n", "empty"), env: {} })(),
      "the file has no [profile] sections",
    );
  });

  it("missing secret_id, secret_key or both", async () => {
    const noId = await file(`[a]\nsecret_key = ${SECRET}\n`, "a");
    await configError(
      fromProfile({ file: noId, profile: "a", env: {} })(),
      `profile "a" in the credentials file ${noId} (line 1) has no secret_id;`,
    );
    const noKey = await file(`[default]\nsecret_id = AKID\ntoken = ${TOKEN}\n`, "b");
    await configError(fromProfile({ file: noKey, env: {} })(), /has no secret_key;/);
    const neither = await file(`[default]\nregion = ap-guangzhou\n`, "c");
    await configError(fromProfile({ file: neither, env: {} })(), /has no secret_id and no secret_key/);
    const empty = await file(`[default]\nsecret_id = AKID\nsecret_key =\n`, "d");
    await configError(fromProfile({ file: empty, env: {} })(), `${empty}:3: secret_key in profile "default" is empty`);
  });

  it("a malformed line names file:line and never its content", async () => {
    const path = await file(`[default]\nsecret_id = AKID\n${SECRET}\n`);
    await configError(fromProfile({ file: path, env: {} })(), `${path}:3: cannot parse this line`);
    const crlf = await file(`# c\r\n[default]\r\nsecret_id AKID\r\n`, "crlf");
    await configError(fromProfile({ file: crlf, env: {} })(), `${crlf}:3: cannot parse this line`);
    const header = await file(`[default\nsecret_id = A\n`, "header");
    await configError(fromProfile({ file: header, env: {} })(), `${header}:1: a profile header must look like [name]`);
    const noName = await file(`[ ]\n`, "noname");
    await configError(fromProfile({ file: noName, env: {} })(), `${noName}:1: the profile header "[]" has no name`);
    const noKey = await file(`[default]\n= ${SECRET}\n`, "nokey");
    await configError(fromProfile({ file: noKey, env: {} })(), `${noKey}:2: cannot parse this line`);
    const before = await file(`secret_key = ${SECRET}\n[default]\n`, "before");
    await configError(fromProfile({ file: before, env: {} })(), `${before}:1: a "key = value" line comes before`);
  });

  it("duplicate profiles and keys", async () => {
    const twice = await file(`[default]\nsecret_id = A\n[default]\n`);
    await configError(
      fromProfile({ file: twice, env: {} })(),
      `${twice}:3: profile "default" appears twice (first at line 1)`,
    );
    const key = await file(`[default]\nsecret_key = ${SECRET}\nsecret_key = ${OTHER_SECRET}\n`, "key");
    await configError(
      fromProfile({ file: key, env: {} })(),
      `${key}:3: secret_key appears twice in profile "default" (first at line 2)`,
    );
  });

  it("reads quoted values and inline comments as the official SDK's parser (the ini package) does", async () => {
    const quoted = await file(`[default]\nsecret_id = "AKIDQUOTED"\nsecret_key = '${SECRET}'\n`);
    expect(await fromProfile({ file: quoted, env: {} })()).toMatchObject({ secretId: "AKIDQUOTED", secretKey: SECRET });
    const inline = await file(
      `[default]\nsecret_id = AKIDINLINE # the id\nsecret_key = ${SECRET}\ntoken = ${TOKEN} ; optional\n`,
      "in",
    );
    expect(await fromProfile({ file: inline, env: {} })()).toMatchObject({ secretId: "AKIDINLINE", token: TOKEN });
    const spaced = await file(`[default]\nsecret_id = AKID ID\nsecret_key = ${SECRET}\n`, "spaced");
    await configError(
      fromProfile({ file: spaced, env: {} })(),
      `${spaced}:2: secret_id in profile "default" contains whitespace`,
    );
  });

  it("warns once, naming the file and the fix, when other users may read the credentials file", async () => {
    const shared = await file(PROFILE_FILE, "shared");
    await chmod(shared, 0o644);
    const warnings: Error[] = [];
    const listener = (w: Error) => warnings.push(w);
    process.on("warning", listener);
    try {
      await fromProfile({ file: shared, env: {} })();
      await fromProfile({ file: shared, env: {} })();
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off("warning", listener);
    }
    const ours = warnings.filter((w) => (w as Error & { code?: string }).code === "CCC_CREDENTIALS_FILE_MODE");
    expect(ours.map((w) => w.message)).toEqual([
      `the credentials file ${shared} can be read by other users (mode 644); restrict it with: chmod 600 ${shared}`,
    ]);
    const private_ = await file(PROFILE_FILE, "private");
    await chmod(private_, 0o600);
    const none: Error[] = [];
    const quiet = (w: Error) => none.push(w);
    process.on("warning", quiet);
    try {
      await fromProfile({ file: private_, env: {} })();
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off("warning", quiet);
    }
    expect(none).toEqual([]);
  });

  it("a directory, a UTF-16 file, and invalid options", async () => {
    await configError(fromProfile({ file: dir, env: {} })(), `the credentials file ${dir} is a directory`);
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from(Buffer.from("[default]\n", "utf16le"))]);
    const path = await file(utf16);
    await configError(fromProfile({ file: path, env: {} })(), `${path} is UTF-16 encoded`);
    await configError(() => fromProfile({ profile: "" }), "fromProfile: profile must be a non-empty string");
    await configError(() => fromProfile({ file: 3 as unknown as string }), "fromProfile: file must be");
  });

  it("a secret in the profile name position or anywhere else never reaches a message", async () => {
    const path = await file(`[default]\nsecret_id = AKID\nsecret_key = ${SECRET}\n`);
    const e = await configError(fromProfile({ file: path, profile: "prod", env: {} })(), /is not in/);
    expect(e.message).toContain('"default"');
  });
});

describe("defaultCredentialsChain", () => {
  const ENV = { TENCENTCLOUD_SECRET_ID: "AKIDENV", TENCENTCLOUD_SECRET_KEY: OTHER_SECRET };

  it("prefers the environment variables over the profile file", async () => {
    const path = await file(PROFILE_FILE);
    const c = await defaultCredentialsChain({ file: path, env: { ...ENV, TENCENTCLOUD_SESSION_TOKEN: TOKEN } })();
    expect(c.secretId).toBe("AKIDENV");
    expectRedacted(c, OTHER_SECRET, TOKEN);
  });

  it("falls back to the profile file, honouring TENCENTCLOUD_PROFILE and a half-set environment", async () => {
    const path = await file(PROFILE_FILE);
    expect((await defaultCredentialsChain({ file: path, env: { ...NO_METADATA_ENV } })()).secretId).toBe("AKIDDEFAULT");
    const prod = await defaultCredentialsChain({ file: path, env: { TENCENTCLOUD_PROFILE: "prod" } })();
    expect(prod.secretId).toBe("AKIDPROD");
    expectRedacted(prod, "abc==def=", TOKEN);
    const half = { TENCENTCLOUD_SECRET_ID: "AKIDENV" };
    expect((await defaultCredentialsChain({ file: path, profile: "prod", env: half })()).secretId).toBe("AKIDPROD");
  });

  it("without credentials anywhere, says every place it looked and how to pass them", async () => {
    const path = join(dir, "missing");
    const e = await configError(
      defaultCredentialsChain({ file: path, env: { ...NO_METADATA_ENV } })(),
      /^no credentials found/,
    );
    for (const part of [
      "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (not set)",
      `the credentials file ${path} (does not exist)`,
      "`credentials: { secretId, secretKey }`",
      "[default] profile",
      "the TKE OIDC variables TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN (not set)",
      `the CVM instance metadata at ${NO_METADATA_ENDPOINT} (could not be reached: ECONNREFUSED)`,
    ])
      expect(e.message).toContain(part);
    await configError(
      defaultCredentialsChain({ file: path, env: { ...NO_METADATA_ENV, TENCENTCLOUD_SECRET_KEY: SECRET } })(),
      "(TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not)",
    );
  });

  it("a profile asked for by name wins over the environment variables, and must exist", async () => {
    const profiles = await file(PROFILE_FILE, "named");
    const env = { TENCENTCLOUD_SECRET_ID: "AKIDFROMENV", TENCENTCLOUD_SECRET_KEY: SECRET };
    expect((await defaultCredentialsChain({ file: profiles, env })()).secretId).toBe("AKIDFROMENV");
    expect((await defaultCredentialsChain({ file: profiles, profile: "default", env })()).secretId).toBe("AKIDDEFAULT");
    await configError(
      defaultCredentialsChain({ file: profiles, profile: "staging", env })(),
      `profile "staging" is not in the credentials file ${profiles}; the profiles present are "default", "prod"`,
    );
    const missing = join(dir, "no-such-file");
    await configError(
      defaultCredentialsChain({ file: missing, profile: "prod", env })(),
      `the credentials file ${missing} does not exist; create it with a [prod] profile`,
    );
  });

  it("looks in the home directory by default", async () => {
    vi.stubEnv("HOME", dir);
    vi.stubEnv("USERPROFILE", dir);
    const e = await configError(defaultCredentialsChain({ env: { ...NO_METADATA_ENV } })(), /no credentials found/);
    expect(e.message).toContain(join(dir, ".tencentcloud", "credentials"));
    await mkdir(join(dir, ".tencentcloud"));
    await writeFile(join(dir, ".tencentcloud", "credentials"), PROFILE_FILE);
    expect((await defaultCredentialsChain({ env: { ...NO_METADATA_ENV } })()).secretId).toBe("AKIDDEFAULT");
  });

  it("reads process.env by default", async () => {
    vi.stubEnv("TENCENTCLOUD_SECRET_ID", "AKIDPROCESS");
    vi.stubEnv("TENCENTCLOUD_SECRET_KEY", SECRET);
    expect((await defaultCredentialsChain({ file: join(dir, "none") })()).secretId).toBe("AKIDPROCESS");
  });

  it("is lazy: reads nothing until called, then remembers what it found", async () => {
    const path = join(dir, "credentials");
    const env: Record<string, string | undefined> = {};
    const chain = defaultCredentialsChain({ file: path, env });
    await writeFile(path, PROFILE_FILE); // created after the chain
    const first = await chain();
    expect(first.secretId).toBe("AKIDDEFAULT");
    Object.assign(env, ENV);
    await writeFile(path, `[default]\nsecret_id = AKIDCHANGED\nsecret_key = ${SECRET}\n`);
    expect(await chain()).toBe(first); // environment and file read once

    const envLater: Record<string, string | undefined> = {};
    const lazyEnv = defaultCredentialsChain({ file: join(dir, "none"), env: envLater });
    Object.assign(envLater, ENV);
    expect((await lazyEnv()).secretId).toBe("AKIDENV");
  });

  it("does not remember a failure: the next call looks again", async () => {
    const path = join(dir, "credentials");
    const chain = defaultCredentialsChain({ file: path, env: { ...NO_METADATA_ENV } });
    await configError(chain(), /no credentials found/);
    await writeFile(path, PROFILE_FILE);
    expect((await chain()).secretId).toBe("AKIDDEFAULT");
  });

  it("an existing but broken file is an error, not a reason to fall through", async () => {
    const path = await file(`[default]\nsecret_id = AKID\n${SECRET}\n`);
    await configError(
      defaultCredentialsChain({ file: path, env: { ...NO_METADATA_ENV } })(),
      `${path}:3: cannot parse this line`,
    );
    await configError(
      defaultCredentialsChain({ file: await file(PROFILE_FILE, "ok"), env: { TENCENTCLOUD_PROFILE: "nope" } })(),
      'profile "nope" (from TENCENTCLOUD_PROFILE) is not in',
    );
    await configError(() => defaultCredentialsChain({ profile: " " }), "defaultCredentialsChain: profile must be");
  });
});

/** A promise resolved or rejected from outside. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

/** A clock and a provider handing out numbered credentials that expire `lifetimeMs` after they are made. */
function setup(lifetimeMs: number | undefined, options: { refreshBeforeMs?: number } = {}) {
  const clock = { now: T0 };
  let n = 0;
  const provider = vi.fn(async (): Promise<Credentials> => {
    n++;
    return {
      secretId: `AKID${n}`,
      secretKey: `${SECRET}-${n}`,
      token: `${TOKEN}-${n}`,
      ...(lifetimeMs === undefined ? {} : { expiresAt: clock.now + lifetimeMs }),
    };
  });
  const cache = new CredentialsCache(provider, { ...options, now: () => clock.now });
  return { clock, provider, cache };
}

describe("CredentialsCache", () => {
  it("fetches static credentials once over 100 calls, from a sync or an async provider", async () => {
    const { provider, cache, clock } = setup(undefined);
    for (let i = 0; i < 100; i++) {
      clock.now += 3_600_000;
      expect((await cache.get()).secretId).toBe("AKID1");
    }
    expect(provider).toHaveBeenCalledTimes(1);

    const sync = vi.fn(() => ({ secretId: "AKIDSYNC", secretKey: SECRET }));
    const syncCache = new CredentialsCache(sync);
    const got = await Promise.all(Array.from({ length: 100 }, () => syncCache.get()));
    expect(sync).toHaveBeenCalledTimes(1);
    expect(got.every((c) => c === got[0])).toBe(true);
    expectRedacted(got[0]!, SECRET);
  });

  it("refreshes expiring credentials refreshBeforeMs before expiry, serving the current ones meanwhile", async () => {
    const { provider, cache, clock } = setup(3_600_000);
    const first = await cache.get();
    expect(first.expiresAt).toBe(T0 + 3_600_000);
    expectRedacted(first, `${SECRET}-1`, `${TOKEN}-1`);
    clock.now = T0 + 3_600_000 - 300_001;
    expect(await cache.get()).toBe(first);
    expect(provider).toHaveBeenCalledTimes(1);
    clock.now = T0 + 3_600_000 - 300_000; // the refresh window opens
    expect(await cache.get()).toBe(first);
    expect(provider).toHaveBeenCalledTimes(2);
    await settle();
    const second = await cache.get();
    expect(second.secretId).toBe("AKID2");
    expect(second.expiresAt).toBe(clock.now + 3_600_000);
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it("honours refreshBeforeMs, and waits for the provider once the credentials expired", async () => {
    const { provider, cache, clock } = setup(60_000, { refreshBeforeMs: 10_000 });
    await cache.get();
    clock.now = T0 + 49_999;
    expect((await cache.get()).secretId).toBe("AKID1");
    expect(provider).toHaveBeenCalledTimes(1);
    clock.now = T0 + 60_000; // expired: no stale answer
    expect((await cache.get()).secretId).toBe("AKID2");
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it("refreshes short-lived credentials half-way, not on every call", async () => {
    const { provider, cache, clock } = setup(2_000);
    await cache.get();
    for (let i = 0; i < 100; i++) {
      clock.now = T0 + i * 9; // up to 891 ms
      expect((await cache.get()).secretId).toBe("AKID1");
    }
    expect(provider).toHaveBeenCalledTimes(1);
    clock.now = T0 + 1_000;
    await cache.get();
    await settle();
    expect(provider).toHaveBeenCalledTimes(2);
    for (let i = 0; i < 100; i++) expect((await cache.get()).secretId).toBe("AKID2");
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it("50 concurrent calls share one provider call: first use, after expiry, and in the refresh window", async () => {
    const gate = deferred<Credentials>();
    const provider = vi.fn(() => gate.promise);
    const clock = { now: T0 };
    const cache = new CredentialsCache(provider, { now: () => clock.now });
    const first = Promise.all(Array.from({ length: 50 }, () => cache.get()));
    gate.resolve({ secretId: "AKIDONE", secretKey: SECRET, expiresAt: T0 + 3_600_000 });
    const got = await first;
    expect(provider).toHaveBeenCalledTimes(1);
    expect(got.every((c) => c === got[0] && c.secretId === "AKIDONE")).toBe(true);

    const next = deferred<Credentials>();
    provider.mockImplementation(() => next.promise);
    clock.now = T0 + 3_600_000;
    const expired = Promise.all(Array.from({ length: 50 }, () => cache.get()));
    await settle();
    expect(provider).toHaveBeenCalledTimes(2);
    next.resolve({ secretId: "AKIDTWO", secretKey: SECRET, expiresAt: clock.now + 3_600_000 });
    expect((await expired).every((c) => c.secretId === "AKIDTWO")).toBe(true);

    const third = deferred<Credentials>();
    provider.mockImplementation(() => third.promise);
    clock.now += 3_600_000 - 60_000;
    const window = await Promise.all(Array.from({ length: 50 }, () => cache.get()));
    expect(window.every((c) => c.secretId === "AKIDTWO")).toBe(true);
    expect(provider).toHaveBeenCalledTimes(3);
    third.resolve({ secretId: "AKIDTHREE", secretKey: SECRET, expiresAt: clock.now + 3_600_000 });
    await settle();
    expect((await cache.get()).secretId).toBe("AKIDTHREE");
    expect(provider).toHaveBeenCalledTimes(3);
  });

  it("a failed refresh while the credentials are valid keeps them, retries on a later call, then recovers", async () => {
    const { provider, cache, clock } = setup(3_600_000);
    const first = await cache.get();
    provider.mockRejectedValueOnce(new Error("sts down")).mockRejectedValueOnce(new Error("sts still down"));
    clock.now = T0 + 3_500_000;
    expect(await cache.get()).toBe(first);
    await settle();
    expect(provider).toHaveBeenCalledTimes(2);
    expect(await cache.get()).toBe(first);
    await settle();
    expect(provider).toHaveBeenCalledTimes(3);
    expect(await cache.get()).toBe(first);
    await settle();
    expect(provider).toHaveBeenCalledTimes(4);
    expect((await cache.get()).secretId).toBe("AKID2");
  });

  it("a failed refresh after expiry rejects with a CccConfigError holding a redacted copy of the cause, and the next call retries", async () => {
    const { provider, cache, clock } = setup(3_600_000);
    await cache.get();
    const boom = Object.assign(new Error(`sts down; it was given ${SECRET}-1 and ${TOKEN}-1`), {
      code: "ESTS",
      key: SECRET,
    });
    provider.mockRejectedValueOnce(boom);
    clock.now = T0 + 3_600_000;
    const e = await configError(cache.get(), /^the credentials provider failed: sts down; it was given \[redacted\]/);
    expect(e.cause).not.toBe(boom);
    expect(e.cause).toMatchObject({ name: "Error", code: "ESTS" });
    expect((e.cause as Error).message).toMatch(/^sts down; it was given \[redacted\]/);
    expect((e.cause as Error).stack).toContain("[redacted]");
    expectNoSecret(inspect(e, { showHidden: true, depth: Infinity }));
    expect((await cache.get()).secretId).toBe("AKID2");
  });

  it("a provider failing on first use: concurrent callers share the rejection; non-Errors are not echoed", async () => {
    const provider = vi.fn(async (): Promise<Credentials> => {
      throw SECRET;
    });
    const cache = new CredentialsCache(provider);
    const all = await Promise.allSettled(Array.from({ length: 50 }, () => cache.get()));
    expect(provider).toHaveBeenCalledTimes(1);
    const reasons = new Set(all.map((r) => (r.status === "rejected" ? r.reason : r.value)));
    expect(reasons.size).toBe(1);
    const e = await configError(cache.get(), "the credentials provider failed: it threw a string");
    expect(e.cause).toBeUndefined();
    expect(provider).toHaveBeenCalledTimes(2);
    const sync = new CredentialsCache(() => {
      throw new TypeError("sync failure");
    });
    await configError(sync.get(), "the credentials provider failed: sync failure");
  });

  it("validates what the provider returns with checkCredentials, and refuses expired credentials", async () => {
    const clock = { now: T0 };
    let value: unknown = { secretId: "AKID", secretKey: "" };
    const cache = new CredentialsCache(() => value as Credentials, { now: () => clock.now });
    await configError(cache.get(), "credentials from the credentials provider: secretKey is missing or empty");
    value = { secretId: "AKID", secretKey: SECRET, expiresAt: T0 - 1 };
    await configError(cache.get(), /returned credentials that expired at .* 1 ms ago/);
    value = { secretId: "AKID", secretKey: SECRET, expiresAt: Math.floor(T0 / 1000) + 3600 };
    await configError(cache.get(), /looks like seconds/);
    value = { secretId: "AKID", secretKey: SECRET, token: TOKEN, expiresAt: T0 + 1000 };
    expectRedacted(await cache.get(), SECRET, TOKEN);
  });

  it("a refresh returning invalid credentials keeps valid ones, like a failure", async () => {
    const { provider, cache, clock } = setup(3_600_000);
    const first = await cache.get();
    provider.mockResolvedValueOnce({ secretId: "", secretKey: SECRET });
    clock.now = T0 + 3_500_000;
    expect(await cache.get()).toBe(first);
    await settle();
    expect(provider).toHaveBeenCalledTimes(2);
    clock.now = T0 + 3_600_000;
    expect((await cache.get()).secretId).toBe("AKID2");
  });

  it("invalidate() forces a refresh on next use and forbids falling back to the forgotten credentials", async () => {
    const { provider, cache } = setup(undefined);
    const first = await cache.get();
    cache.invalidate();
    const second = await cache.get();
    expect(second.secretId).toBe("AKID2");
    expect(provider).toHaveBeenCalledTimes(2);

    cache.invalidate({ ...first, secretKey: first.secretKey, token: first.token }); // not the cached ones
    expect(await cache.get()).toBe(second);
    cache.invalidate({ secretId: second.secretId, secretKey: second.secretKey, token: second.token });
    expect((await cache.get()).secretId).toBe("AKID3");
    expect(provider).toHaveBeenCalledTimes(3);

    provider.mockRejectedValueOnce(new Error("revoked"));
    cache.invalidate();
    await configError(cache.get(), "the credentials provider failed: revoked");
  });

  it("invalidate() during a refresh starts a new provider call", async () => {
    const gates = [deferred<Credentials>(), deferred<Credentials>()];
    let i = 0;
    const provider = vi.fn(() => gates[i++]!.promise);
    const cache = new CredentialsCache(provider);
    const before = cache.get();
    cache.invalidate();
    const after = cache.get();
    expect(provider).toHaveBeenCalledTimes(2);
    gates[0]!.resolve({ secretId: "AKIDOLD", secretKey: SECRET });
    gates[1]!.resolve({ secretId: "AKIDNEW", secretKey: SECRET });
    expect((await before).secretId).toBe("AKIDOLD");
    expect((await after).secretId).toBe("AKIDNEW");
    expect((await cache.get()).secretId).toBe("AKIDNEW");
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it("get and invalidate are bound, so cache.get is a provider; options are checked", async () => {
    const { cache, provider } = setup(undefined);
    const { get, invalidate } = cache;
    expect((await get()).secretId).toBe("AKID1");
    invalidate();
    expect((await get()).secretId).toBe("AKID2");
    const chained = new CredentialsCache(get);
    expect((await chained.get()).secretId).toBe("AKID2");
    expect(provider).toHaveBeenCalledTimes(2);
    await configError(
      () => new CredentialsCache(undefined as unknown as () => Credentials),
      "provider must be a function",
    );
    await configError(() => new CredentialsCache(get, { refreshBeforeMs: -1 }), "refreshBeforeMs must be");
    await configError(() => new CredentialsCache(get, { now: 5 as unknown as () => number }), "now must be");
  });

  it("wraps the default chain: its error passes through as the cause, with the places looked at", async () => {
    const cache = new CredentialsCache(
      defaultCredentialsChain({ file: join(dir, "none"), env: { ...NO_METADATA_ENV } }),
    );
    const e = await configError(cache.get(), /^the credentials provider failed: no credentials found/);
    expect(e.cause).toBeInstanceOf(CccConfigError);
    expect(e.message).toContain("TENCENTCLOUD_SECRET_ID");
  });
});
