#!/usr/bin/env node
/**
 * `ccc-emulator`: the CCC emulator as a command. Prints exactly one stdout line, `listening on http://HOST:PORT`;
 * everything else goes to stderr. SIGINT and SIGTERM, the exit of the process that started it (unless
 * --outlive-parent) and, with --exit-on-stdin-close, the end of stdin close it and exit 0. Exit 2 for a usage
 * error, 1 when it cannot start.
 */
import { isLoopback } from "./admin.js";
import { isRecordCount, MAX_RECORDS_LIMIT } from "./records.js";
import { createEmulator } from "./server.js";
import { MAX_RATE_LIMIT_PER_SECOND, rateLimitProblem } from "./throttle.js";
import { DEMO_CREDENTIAL, type Emulator, type EmulatorCredential } from "./types.js";

/** How often the emulator checks whether the process that started it is still there. */
const PARENT_CHECK_INTERVAL_MS = 500;

const USAGE = `usage: ccc-emulator [--port N] [--host 127.0.0.1] [--credential ID:KEY[:TOKEN]]...
                    [--max-skew-seconds N] [--max-records N] [--rate-limit-per-second N]
                    [--exit-on-stdin-close] [--outlive-parent]

A local emulator of Tencent Cloud Contact Center (ccc 2020-02-10) for testing code that uses ccc-sdk.
It answers POST / like ccc.tencentcloudapi.com: it checks the TC3-HMAC-SHA256 signature, X-TC-Action,
X-TC-Version and the body against the spec, and answers the action's documented example with a fresh
RequestId. An unsigned admin API scripts faults, lists the requests received and sends data pushes:
  POST /__admin/faults  {"type":"error","code":"...","action"?,"times"?} (also http, truncated, cut, delay,
                        reset, reset-after-read)
  GET  /__admin/faults   GET /__admin/requests   POST /__admin/reset   POST /__admin/clock {"offsetMs":N}
  POST /__admin/rate-limit {"perSecond":N} (or null): refuse calls over N per second per SecretId and action
  POST /__admin/data    {"action":"DescribeTelCdr","count":N} (or "items":[...]; "total":false): a paging
                        action answers pages cut from this data set by the request's paging members
  POST /__admin/states  {"action":"DescribeAutoCalloutTask","states":[{"State":1},{"State":2}]}: each call
                        answers the example with the next state merged over it, the last repeating
  POST /__admin/credential-lifetime {"seconds":N}: temporary credentials issued from then on live N s
                        ({"seconds":null}: as asked, 7200 s by default)
  POST /__admin/push    {"url":"http://127.0.0.1:8081/ccc/push","push":"cdr"} sends a data push as CCC does:
                        POST url?action=cdr&version=1 (also "record", "voicemail"), the documented example
                        ("members":{...} laid over it, or "rawBody":"..."), an X-TCCC-PUSH-UUID ("uuid"), and
                        "auth": {"type":"none"} (default), {"type":"basic","username","password"} or
                        {"type":"oauth","tokenUrl","clientId","clientSecret","clientAuth"?:"basic"|"form"};
                        pushed again with the same UUID, up to "maxRetries" (0-3, default 3) times, while the
                        answer is not {"ErrCode":0}; "retryDelayMs" (default 0), "timeoutMs" (default 5000).
                        Only to 127.0.0.1, no redirects. Answers the delivery with each attempt's outcome
  GET  /__admin/pushes   the pushes sent (the last 1000; no password, secret or token is kept)
It also answers STS (X-TC-Version 2018-08-13: AssumeRole, signed; AssumeRoleWithWebIdentity, unsigned, for
the demo provider ccc-emulator-oidc and token emulator-web-identity-token) and a CVM instance's metadata
(GET /latest/meta-data/cam/security-credentials/[ccc-emulator-role]) with temporary credentials it then
accepts, with their token, until they expire.
It answers only a Host of 127.0.0.1:PORT, localhost:PORT or [::1]:PORT (else 403), and POSTs with
Content-Type: application/json (else 415), so that no web page can drive it.

options:
  --port N                     port to listen on (default 0: a free port, shown in the listening line)
  --host ADDRESS               address to listen on (default 127.0.0.1); a non-loopback one is warned about
  --credential ID:KEY[:TOKEN]  a SecretId, SecretKey and optional session token to accept (repeatable);
                               default: the demo credential ${DEMO_CREDENTIAL.secretId}:${DEMO_CREDENTIAL.secretKey}
  --max-skew-seconds N         allowed difference between X-TC-Timestamp and the emulator's clock (default 300)
  --max-records N              how many requests to keep for GET /__admin/requests, the oldest dropped first
                               (default 1000; 0 keeps none); each keeps at most 64 KiB of its body
  --rate-limit-per-second N    answer RequestLimitExceeded past N calls a second per SecretId and action,
                               as Tencent does past an action's documented rate (default: no limit)
  --exit-on-stdin-close        exit when stdin reaches its end (for test harnesses that hold the pipe)
  --outlive-parent             keep serving after the process that started it exits (by default it exits
                               then, so that stopping a launcher such as npx also stops the emulator)
  -h, --help                   print this help and exit`;

interface Args {
  port?: number;
  host?: string;
  credentials: EmulatorCredential[];
  maxSkewSeconds?: number;
  maxRecords?: number;
  rateLimitPerSecond?: number;
  exitOnStdinClose: boolean;
  outliveParent: boolean;
  generatedDir?: string;
  help: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { credentials: [], exitOnStdinClose: false, outliveParent: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let inline: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      i++;
      return next;
    };
    const flag = () => {
      if (inline !== undefined) throw new UsageError(`${arg} takes no value`);
    };
    switch (arg) {
      case "--port": {
        const v = value();
        if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new UsageError(`invalid --port ${JSON.stringify(v)}`);
        args.port = Number(v);
        break;
      }
      case "--host": {
        const v = value();
        if (v.trim() === "") throw new UsageError("--host needs an address");
        args.host = v;
        break;
      }
      case "--credential": {
        const parts = value().split(":");
        if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === ""))
          throw new UsageError("invalid --credential (expected ID:KEY[:TOKEN], none of them empty or with ':')");
        const [secretId, secretKey, token] = parts as [string, string, string | undefined];
        args.credentials.push(token === undefined ? { secretId, secretKey } : { secretId, secretKey, token });
        break;
      }
      case "--max-skew-seconds": {
        const v = value();
        if (!/^\d{1,9}$/.test(v)) throw new UsageError(`invalid --max-skew-seconds ${JSON.stringify(v)}`);
        args.maxSkewSeconds = Number(v);
        break;
      }
      case "--max-records": {
        const v = value();
        if (!/^\d{1,7}$/.test(v) || !isRecordCount(Number(v)))
          throw new UsageError(
            `invalid --max-records ${JSON.stringify(v)} (expected a whole number from 0 to ${MAX_RECORDS_LIMIT})`,
          );
        args.maxRecords = Number(v);
        break;
      }
      case "--rate-limit-per-second": {
        const v = value();
        if (!/^\d{1,7}(\.\d{1,6})?$/.test(v) || rateLimitProblem(Number(v)) !== undefined)
          throw new UsageError(
            `invalid --rate-limit-per-second ${JSON.stringify(v)} (expected a number above 0, at most ${MAX_RATE_LIMIT_PER_SECOND})`,
          );
        args.rateLimitPerSecond = Number(v);
        break;
      }
      case "--exit-on-stdin-close":
        flag();
        args.exitOnStdinClose = true;
        break;
      case "--outlive-parent":
        flag();
        args.outliveParent = true;
        break;
      // Undocumented, for the SDK's own tests: serve the actions of another generated folder.
      case "--generated":
        args.generatedDir = value();
        break;
      case "--help":
      case "-h":
        flag();
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(argv[i])}`);
    }
  }
  return args;
}

/**
 * Calls `onGone` once the process that started this one has exited. Launchers do not always pass a signal on:
 * `npx ccc-emulator` runs the bin through `sh -c`, and when npm is terminated that shell dies without signalling
 * its child, which the system then re-parents: the parent pid changes. Unref'd, so it never keeps the process up.
 */
function whenParentExits(onGone: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, PARENT_CHECK_INTERVAL_MS);
  timer.unref();
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`ccc-emulator: ${e.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const host = args.host ?? "127.0.0.1";
  if (!isLoopback(host))
    process.stderr.write(
      `ccc-emulator: warning: ${host} is not a loopback address; whoever can reach it can call the emulator and its unauthenticated admin API\n`,
    );
  if (args.credentials.length === 0)
    process.stderr.write(
      `ccc-emulator: no --credential given; accepting the demo credential ${DEMO_CREDENTIAL.secretId} / ${DEMO_CREDENTIAL.secretKey}\n`,
    );

  let emulator: Emulator;
  try {
    emulator = await createEmulator(
      {
        host,
        ...(args.port !== undefined ? { port: args.port } : {}),
        ...(args.credentials.length ? { credentials: args.credentials } : {}),
        ...(args.maxSkewSeconds !== undefined ? { maxSkewSeconds: args.maxSkewSeconds } : {}),
        ...(args.maxRecords !== undefined ? { maxRecords: args.maxRecords } : {}),
        ...(args.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: args.rateLimitPerSecond } : {}),
      },
      { ...(args.generatedDir !== undefined ? { generatedDir: args.generatedDir } : {}), warn: () => undefined },
    );
  } catch (e) {
    process.stderr.write(`ccc-emulator: ${(e as Error).message}\n`);
    process.exit(1);
  }

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Bounded: never hang on exit.
    setTimeout(() => process.exit(0), 2_000).unref();
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  if (!args.outliveParent)
    whenParentExits(() => {
      // The launcher may have taken the reading end of stderr with it: a failed write must not change the exit.
      process.stderr.on("error", () => undefined);
      process.stderr.write("ccc-emulator: the process that started it exited; stopping\n");
      stop();
    });
  if (args.exitOnStdinClose) {
    process.stdin.on("end", stop);
    process.stdin.on("error", stop);
    process.stdin.resume();
  }
  process.stdout.write(`listening on ${emulator.url}\n`);
}

await main();
