#!/usr/bin/env node
// CCC test server: impersonates ccc.tencentcloudapi.com on a loopback port.
//
// It verifies TC3-HMAC-SHA256 signatures with its own implementation
// (./tc3-verify.mjs), validates request bodies against the OpenAPI document's
// request schemas, answers with the documented examples, and records every
// call. Faults (Tencent errors, raw HTTP errors, broken responses, delays,
// connection resets) can be queued through an unsigned admin API under
// /__admin/. Only node builtins and ajv are used.
//
// Usage:
//   node test/server/ccc-test-server.mjs [--port N] [--host 127.0.0.1]
//        [--credential ID:KEY[:TOKEN]]... [--openapi PATH] [--max-skew-seconds N]
//        [--exit-on-stdin-close]
//
// --exit-on-stdin-close makes the server shut down when its stdin reaches EOF;
// the vitest harness uses it (stdin is a pipe from the test process) so a
// crashed or killed test runner never leaves an orphaned server behind.
//
// On start it prints exactly one stdout line: `listening on http://127.0.0.1:PORT`.
// Diagnostics go to stderr. SIGTERM/SIGINT close the server and exit 0.

import http from "node:http";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020Module from "ajv/dist/2020.js";
import {
  buildCanonicalRequest,
  buildStringToSign,
  computeSignature,
  parseAuthorization,
  signaturesEqual,
  utcDate,
} from "./tc3-verify.mjs";

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;

const SERVICE = "ccc";
const MAX_BODY_BYTES = 10 * 1024 * 1024; // Tencent's request size limit
const MAX_DRAIN_BYTES = 4 * MAX_BODY_BYTES; // past this an oversized upload is cut off
const MAX_ADMIN_BODY_BYTES = 1024 * 1024;
const MAX_DELAY_MS = 30_000;
const DOC_ID = "urn:ccc-test-server:openapi";
const DEFAULT_CREDENTIAL = {
  secretId: "AKIDTESTSERVER0000000000000000000000",
  secretKey: "test-secret-key-0123456789abcdefgh",
};
const FAULT_TYPES = new Set(["error", "http", "truncated", "cut", "delay", "reset", "reset-after-read"]);

// ---------------------------------------------------------------------------
// CLI

function usage() {
  return [
    "usage: node ccc-test-server.mjs [--port N] [--host 127.0.0.1] [--credential ID:KEY[:TOKEN]]...",
    "                                [--openapi PATH] [--max-skew-seconds N] [--exit-on-stdin-close]",
  ].join("\n");
}

function fail(message) {
  process.stderr.write(`ccc-test-server: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    port: 0,
    host: "127.0.0.1",
    credentials: [],
    openapi: fileURLToPath(new URL("../../generated/openapi.json", import.meta.url)),
    maxSkewSeconds: 300,
    exitOnStdinClose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = () => {
      if (value !== undefined) return value;
      if (i + 1 >= argv.length) fail(`${arg} needs a value\n${usage()}`);
      return argv[++i];
    };
    switch (arg) {
      case "--port": {
        const v = next();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) fail(`invalid --port ${JSON.stringify(v)}`);
        opts.port = n;
        break;
      }
      case "--host": {
        const v = next();
        if (!isLoopback(v)) fail(`refusing to listen on non-loopback host ${JSON.stringify(v)}`);
        opts.host = v === "localhost" ? "127.0.0.1" : v;
        break;
      }
      case "--credential": {
        const v = next();
        const parts = v.split(":");
        if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1] || (parts.length === 3 && !parts[2])) {
          fail(`invalid --credential (expected ID:KEY[:TOKEN], KEY without ':')`);
        }
        const cred = { secretId: parts[0], secretKey: parts[1] };
        if (parts.length === 3) cred.token = parts[2];
        opts.credentials.push(cred);
        break;
      }
      case "--openapi":
        opts.openapi = next();
        break;
      case "--max-skew-seconds": {
        const v = next();
        const n = Number(v);
        if (!/^\d+$/.test(v)) fail(`invalid --max-skew-seconds ${JSON.stringify(v)}`);
        opts.maxSkewSeconds = n;
        break;
      }
      case "--exit-on-stdin-close":
        if (value !== undefined) fail("--exit-on-stdin-close takes no value");
        opts.exitOnStdinClose = true;
        break;
      case "--help":
      case "-h":
        process.stdout.write(`${usage()}\n`);
        process.exit(0);
        break;
      default:
        fail(`unknown argument ${JSON.stringify(argv[i])}\n${usage()}`);
    }
  }
  if (opts.credentials.length === 0) opts.credentials.push(DEFAULT_CREDENTIAL);
  return opts;
}

function isLoopback(host) {
  if (host === "localhost" || host === "::1") return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

// ---------------------------------------------------------------------------
// OpenAPI document: operations, request validators, success examples

function loadDocument(path) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    fail(`cannot read OpenAPI document ${path}: ${err.message}`);
  }
  if (!doc || typeof doc !== "object" || !doc.paths || typeof doc.info?.version !== "string") {
    fail(`${path} is not an OpenAPI document with info.version and paths`);
  }
  return doc;
}

/** JSON pointer (RFC 6901) as a URI fragment, as ajv expects in $ref. */
function pointerFragment(segments) {
  return (
    "#" + segments.map((s) => "/" + encodeURIComponent(String(s).replace(/~/g, "~0").replace(/\//g, "~1"))).join("")
  );
}

/** Collect every `format` value used so ajv can be told they are annotations. */
function collectFormats(node, out = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => collectFormats(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "format" && typeof v === "string") out.add(v);
      collectFormats(v, out);
    }
  }
  return out;
}

function createApi(doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // OpenAPI formats (int64, uint64, ...) are not validated: register them as
  // always-valid so ajv does not warn about unknown formats.
  for (const f of collectFormats(doc)) ajv.addFormat(f, true);
  try {
    // The whole document is registered under one $id so every
    // "#/components/schemas/..." reference resolves against it.
    ajv.addSchema(doc, DOC_ID);
  } catch (err) {
    fail(`OpenAPI document rejected by ajv: ${err.message}`);
  }
  const validators = new Map();

  function operation(action) {
    const item = doc.paths[`/#${action}`];
    return item && typeof item === "object" && item.post ? item.post : undefined;
  }

  function validator(action) {
    if (validators.has(action)) return validators.get(action);
    const op = operation(action);
    let v;
    if (op?.requestBody?.content?.["application/json"]?.schema) {
      v = ajv.compile({
        $ref:
          DOC_ID +
          pointerFragment(["paths", `/#${action}`, "post", "requestBody", "content", "application/json", "schema"]),
      });
    } else {
      v = ajv.compile({ type: "object" });
    }
    validators.set(action, v);
    return v;
  }

  /** Success body (`{Response: {...}}`) from the first 200 example, fresh RequestId. */
  function successBody(action) {
    const media = operation(action)?.responses?.["200"]?.content?.["application/json"];
    let value;
    const examples = media?.examples;
    if (examples && typeof examples === "object") {
      const first = Object.values(examples)[0];
      if (first && typeof first === "object" && "value" in first) value = first.value;
    }
    if (value === undefined && media && "example" in media) value = media.example;
    let response = {};
    if (value && typeof value === "object") {
      const inner = value.Response && typeof value.Response === "object" ? value.Response : value;
      response = structuredClone(inner);
    }
    response.RequestId = randomUUID();
    return { Response: response };
  }

  return { version: doc.info.version, operation, validator, successBody };
}

// ---------------------------------------------------------------------------
// ajv errors -> Tencent error codes

/** "/DetailList/0/CallType" + extra -> "DetailList[0].CallType". */
function tencentPath(instancePath, extra) {
  const segs = instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra !== undefined) segs.push(String(extra));
  let out = "";
  for (const s of segs) {
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else out += out === "" ? s : `.${s}`;
  }
  return out;
}

function describeValue(v) {
  const s = JSON.stringify(v);
  return s !== undefined && s.length > 80 ? `${s.slice(0, 77)}...` : String(s);
}

function mapValidationErrors(errors, body) {
  const missing = errors.find((e) => e.keyword === "required");
  if (missing) {
    const p = tencentPath(missing.instancePath, missing.params.missingProperty);
    return { code: "MissingParameter", message: `The request is missing a required parameter \`${p}\`.` };
  }
  const unknown = errors.find((e) => e.keyword === "additionalProperties" || e.keyword === "unevaluatedProperties");
  if (unknown) {
    const p = tencentPath(
      unknown.instancePath,
      unknown.params.additionalProperty ?? unknown.params.unevaluatedProperty,
    );
    return { code: "UnknownParameter", message: `The parameter \`${p}\` is not recognized.` };
  }
  // Prefer the most specific error (deepest instance path); composite keywords
  // such as anyOf only summarise their branches.
  const e = errors.find((x) => !["anyOf", "oneOf", "allOf", "not", "if"].includes(x.keyword)) ?? errors[0];
  const p = tencentPath(e.instancePath);
  const value = e.instancePath === "" ? body : pointerGet(body, e.instancePath);
  return {
    code: "InvalidParameterValue",
    message: `The value \`${describeValue(value)}\` specified in parameter \`${p || "(body)"}\` is invalid: ${e.message}.`,
  };
}

function pointerGet(obj, pointer) {
  let cur = obj;
  for (const raw of pointer.split("/").slice(1)) {
    const k = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === null || typeof cur !== "object") return undefined;
    cur = cur[k];
  }
  return cur;
}

// ---------------------------------------------------------------------------
// Server state

const opts = parseArgs(process.argv.slice(2));
const api = createApi(loadDocument(opts.openapi));
const credentialsById = new Map(opts.credentials.map((c) => [c.secretId, c]));

const state = {
  records: [],
  faults: [], // FIFO of { ...fault, times }
  clockOffsetMs: 0,
  seq: 0,
};

const now = () => Date.now() + state.clockOffsetMs;

class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** Take one use of the first queued fault matching this action (FIFO). */
function takeFault(action) {
  const i = state.faults.findIndex((f) => f.action === undefined || f.action === action);
  if (i < 0) return undefined;
  const f = state.faults[i];
  f.times -= 1;
  if (f.times <= 0) state.faults.splice(i, 1);
  return f;
}

function validateFault(f) {
  if (!f || typeof f !== "object" || Array.isArray(f)) return "fault must be a JSON object";
  if (!FAULT_TYPES.has(f.type)) return `fault.type must be one of ${[...FAULT_TYPES].join(", ")}`;
  if (f.action !== undefined && typeof f.action !== "string") return "fault.action must be a string";
  if (f.times !== undefined && !(Number.isInteger(f.times) && f.times >= 1))
    return "fault.times must be a positive integer";
  switch (f.type) {
    case "error":
      if (typeof f.code !== "string" || f.code === "") return "error fault needs a non-empty code";
      if (f.message !== undefined && typeof f.message !== "string") return "fault.message must be a string";
      break;
    case "http":
      if (!Number.isInteger(f.status) || f.status < 200 || f.status > 599)
        return "http fault needs an integer status 200..599";
      if (typeof f.body !== "string") return "http fault needs a string body";
      if (f.contentType !== undefined && typeof f.contentType !== "string") return "fault.contentType must be a string";
      break;
    case "delay":
      if (typeof f.ms !== "number" || !Number.isFinite(f.ms) || f.ms < 0) return "delay fault needs a non-negative ms";
      break;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// HTTP helpers

function send(res, status, body, contentType = "application/json") {
  const buf = Buffer.from(body, "utf8");
  res.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": buf.length,
    Date: new Date(now()).toUTCString(),
  });
  res.end(buf);
}

function sendJson(res, status, value) {
  send(res, status, JSON.stringify(value));
}

function sendTencentError(res, code, message) {
  sendJson(res, 200, { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } });
}

/**
 * Read the request body. Resolves `{ buf }`, or `{ oversized: true }` once the
 * upload exceeded `limit` (the rest is drained and discarded, up to
 * MAX_DRAIN_BYTES, after which the socket is destroyed), or `{ aborted: true }`
 * if the client went away first (`oversized` tells whether it was over the limit).
 */
function readBody(req, limit) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let done = false;
    const finish = (v) => {
      if (!done) {
        done = true;
        resolve(v);
      }
    };
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) req.socket.destroy();
    });
    req.on("end", () => finish(size > limit ? { oversized: true } : { buf: Buffer.concat(chunks) }));
    const onAbort = () => finish({ aborted: true, oversized: size > limit });
    req.on("error", onAbort);
    req.on("close", onAbort); // no-op after "end"
  });
}

/** All received headers, lowercase names, duplicates joined; token redacted. */
function recordedHeaders(req) {
  const out = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    const value = name === "x-tc-token" ? "***" : req.rawHeaders[i + 1];
    out[name] = name in out && name !== "x-tc-token" ? `${out[name]}, ${value}` : value;
  }
  return out;
}

function header(req, name) {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** Wait ms unless the client goes away first; resolves false if it did. */
function waitUnlessClosed(res, ms) {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off("close", onClose);
      resolve(true);
    }, ms);
    res.once("close", onClose);
  });
}

// ---------------------------------------------------------------------------
// API pipeline

/** Steps 2-4: required headers, Authorization, credential, clock, token, signature. */
function verifyRequest(req, raw, record) {
  for (const name of ["x-tc-action", "x-tc-version", "x-tc-timestamp"]) {
    if (!header(req, name))
      throw new ApiError("MissingParameter", `The request is missing a required parameter \`${headerLabel(name)}\`.`);
  }
  const authorization = header(req, "authorization");
  if (!authorization)
    throw new ApiError("AuthFailure.InvalidAuthorization", "The request is missing the `Authorization` header.");
  const contentType = header(req, "content-type");
  if (!contentType)
    throw new ApiError("MissingParameter", "The request is missing a required parameter `Content-Type`.");
  if (!contentType.toLowerCase().startsWith("application/json")) {
    throw new ApiError("InvalidParameter", `Content-Type \`${contentType}\` is not supported; use application/json.`);
  }
  if (!header(req, "host"))
    throw new ApiError("MissingParameter", "The request is missing a required parameter `Host`.");

  const timestampText = header(req, "x-tc-timestamp");
  if (!/^\d{1,12}$/.test(timestampText)) {
    throw new ApiError("InvalidParameter", `X-TC-Timestamp \`${timestampText}\` is not a Unix timestamp in seconds.`);
  }
  const timestamp = Number(timestampText);

  const auth = parseAuthorization(authorization);
  if (!auth.ok) throw new ApiError("AuthFailure.InvalidAuthorization", auth.reason);
  record.secretId = auth.secretId;
  record.signedHeaders = auth.signedHeaders;
  const names = auth.signedHeaders;
  for (let i = 1; i < names.length; i++) {
    if (!(names[i - 1] < names[i])) {
      throw new ApiError(
        "AuthFailure.InvalidAuthorization",
        `SignedHeaders \`${names.join(";")}\` must be sorted ascending without duplicates.`,
      );
    }
  }
  for (const required of ["content-type", "host"]) {
    if (!names.includes(required)) {
      throw new ApiError(
        "AuthFailure.InvalidAuthorization",
        `SignedHeaders \`${names.join(";")}\` must include \`${required}\`.`,
      );
    }
  }
  for (const name of names) {
    if (header(req, name) === undefined) {
      throw new ApiError(
        "AuthFailure.InvalidAuthorization",
        `Signed header \`${name}\` is not present in the request.`,
      );
    }
  }
  if (auth.service !== SERVICE) {
    throw new ApiError(
      "AuthFailure.SignatureFailure",
      `Credential scope service \`${auth.service}\` does not match \`${SERVICE}\`.`,
    );
  }
  const cred = credentialsById.get(auth.secretId);
  if (!cred)
    throw new ApiError(
      "AuthFailure.SecretIdNotFound",
      "The SecretId is not found, please ensure that your SecretId is correct.",
    );

  const skewMs = Math.abs(timestamp * 1000 - now());
  if (skewMs > opts.maxSkewSeconds * 1000) {
    throw new ApiError(
      "AuthFailure.SignatureExpire",
      `Signature expired. Timestamp is ${timestamp}, server time is ${Math.floor(now() / 1000)} (allowed skew ${opts.maxSkewSeconds}s).`,
    );
  }
  if (auth.date !== utcDate(timestamp)) {
    throw new ApiError(
      "AuthFailure.SignatureFailure",
      `Credential date \`${auth.date}\` is not the UTC date of X-TC-Timestamp (${utcDate(timestamp)}).`,
    );
  }
  const token = header(req, "x-tc-token");
  if (cred.token !== undefined ? token !== cred.token : token !== undefined) {
    throw new ApiError(
      "AuthFailure.TokenFailure",
      cred.token !== undefined
        ? "The X-TC-Token is missing or invalid."
        : "X-TC-Token was sent for a credential that has no token.",
    );
  }

  const headers = {};
  for (const name of names) headers[name] = header(req, name);
  const { canonicalRequest } = buildCanonicalRequest({ headers, signedHeaders: names, payload: raw });
  record.canonicalRequest = canonicalRequest;
  const { stringToSign } = buildStringToSign({ timestamp, date: auth.date, service: SERVICE, canonicalRequest });
  const expected = computeSignature(cred.secretKey, auth.date, SERVICE, stringToSign);
  if (!signaturesEqual(expected, auth.signature)) {
    throw new ApiError(
      "AuthFailure.SignatureFailure",
      "The provided credentials could not be validated. Please check your signature is correct.",
    );
  }
}

function headerLabel(name) {
  return name.replace(/(^|-)([a-z])/g, (_, d, c) => d + c.toUpperCase()).replace(/^X-Tc-/, "X-TC-");
}

/** Steps 5-6: action, version, JSON body against the request schema. */
function validateCall(req, text) {
  const action = header(req, "x-tc-action");
  if (!api.operation(action))
    throw new ApiError("InvalidAction", `The action \`${action}\` is not found for version ${api.version}.`);
  const version = header(req, "x-tc-version");
  if (version !== api.version)
    throw new ApiError(
      "NoSuchVersion",
      `The version \`${version}\` of action \`${action}\` is not supported (expected ${api.version}).`,
    );
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError("InvalidParameter", "The request body is not valid JSON.");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ApiError("InvalidParameter", "The request body must be a JSON object.");
  }
  const validate = api.validator(action);
  if (!validate(body)) {
    const { code, message } = mapValidationErrors(validate.errors ?? [], body);
    throw new ApiError(code, message);
  }
  return action;
}

async function handleApi(req, res) {
  const action = header(req, "x-tc-action");
  const record = {
    seq: ++state.seq,
    action: action ?? null,
    headers: recordedHeaders(req),
    body: "",
    signedHeaders: null,
    secretId: null,
    outcome: "pending",
    receivedAt: Date.now(),
  };
  // The auth header is parsed up front so faulted calls are attributed too.
  const auth = parseAuthorization(header(req, "authorization"));
  if (auth.ok) {
    record.secretId = auth.secretId;
    record.signedHeaders = auth.signedHeaders;
  }
  const commit = (outcome) => {
    record.outcome = outcome;
    state.records.push(record);
  };

  const fault = takeFault(action);
  if (fault) record.fault = fault.type;

  if (fault?.type === "reset") {
    commit("fault:reset");
    req.socket.destroy();
    return;
  }

  const read = await readBody(req, MAX_BODY_BYTES);
  if (read.aborted) {
    // The client (or the drain limit) closed the connection mid-upload.
    commit(read.oversized ? "RequestSizeLimitExceeded" : fault ? `fault:${fault.type}` : "aborted");
    return;
  }
  if (read.oversized) {
    commit("RequestSizeLimitExceeded");
    sendTencentError(res, "RequestSizeLimitExceeded", `The request body exceeds the ${MAX_BODY_BYTES} byte limit.`);
    return;
  }
  const raw = read.buf;
  record.body = raw.toString("utf8");

  switch (fault?.type) {
    case "reset-after-read":
      commit("fault:reset-after-read");
      req.socket.destroy();
      return;
    case "http":
      commit("fault:http");
      send(res, fault.status, fault.body, fault.contentType ?? "text/plain; charset=utf-8");
      return;
    case "truncated": {
      // A complete HTTP response whose body is syntactically broken JSON.
      const full = JSON.stringify(
        api.operation(action) ? api.successBody(action) : { Response: { RequestId: randomUUID() } },
      );
      commit("fault:truncated");
      send(res, 200, full.slice(0, Math.floor(full.length / 2)));
      return;
    }
    case "cut": {
      // Announce the full length, send half, then drop the connection.
      const full = Buffer.from(
        JSON.stringify(api.operation(action) ? api.successBody(action) : { Response: { RequestId: randomUUID() } }),
      );
      commit("fault:cut");
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Content-Length": full.length,
        Date: new Date(now()).toUTCString(),
      });
      res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.socket?.destroy());
      return;
    }
    case "delay": {
      const completed = await waitUnlessClosed(res, Math.min(fault.ms, MAX_DELAY_MS));
      if (!completed) {
        commit("fault:delay"); // client went away while we were waiting
        return;
      }
      break; // then answer normally
    }
  }

  try {
    verifyRequest(req, raw, record);
    if (fault?.type === "error") {
      commit("fault:error");
      sendTencentError(res, fault.code, fault.message ?? `Injected fault ${fault.code}.`);
      return;
    }
    const okAction = validateCall(req, record.body);
    commit("ok");
    sendJson(res, 200, api.successBody(okAction));
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    commit(err.code);
    sendTencentError(res, err.code, err.message);
  }
}

// ---------------------------------------------------------------------------
// Admin API (unsigned)

async function handleAdmin(req, res, path) {
  const route = `${req.method} ${path}`;
  let input;
  if (req.method === "POST") {
    const read = await readBody(req, MAX_ADMIN_BODY_BYTES);
    if (read.aborted) return;
    if (read.oversized) return sendJson(res, 413, { error: "admin body too large" });
    const text = read.buf.toString("utf8");
    if (text.trim() !== "") {
      try {
        input = JSON.parse(text);
      } catch {
        return sendJson(res, 400, { error: "admin body is not valid JSON" });
      }
    }
  }
  switch (route) {
    case "GET /__admin/requests":
      return sendJson(
        res,
        200,
        [...state.records].sort((a, b) => a.seq - b.seq),
      );
    case "GET /__admin/faults":
      return sendJson(res, 200, state.faults);
    case "POST /__admin/faults": {
      const problem = validateFault(input);
      if (problem) return sendJson(res, 400, { error: problem });
      const fault = { ...input, times: input.times ?? 1 };
      state.faults.push(fault);
      return sendJson(res, 200, { ok: true, queued: state.faults.length });
    }
    case "POST /__admin/reset":
      state.records = [];
      state.faults = [];
      state.clockOffsetMs = 0;
      return sendJson(res, 200, { ok: true });
    case "POST /__admin/clock": {
      const offsetMs = input?.offsetMs;
      if (typeof offsetMs !== "number" || !Number.isFinite(offsetMs))
        return sendJson(res, 400, { error: "body must be { offsetMs: number }" });
      state.clockOffsetMs = offsetMs;
      return sendJson(res, 200, { ok: true, offsetMs });
    }
    default:
      return sendJson(res, 404, { error: `no admin route ${route}` });
  }
}

// ---------------------------------------------------------------------------
// Server

const sockets = new Set();

const server = http.createServer({ requireHostHeader: false }, (req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  let handling;
  if (path.startsWith("/__admin/")) handling = handleAdmin(req, res, path);
  else if (req.url === "/" && req.method === "POST") handling = handleApi(req, res);
  else {
    sendJson(res, 404, { error: `the test server only answers POST / and /__admin/* (got ${req.method} ${req.url})` });
    return;
  }
  handling.catch((err) => {
    process.stderr.write(`ccc-test-server: internal error: ${err?.stack ?? err}\n`);
    if (!res.headersSent) sendTencentError(res, "InternalError", "Test server internal error.");
    else res.destroy();
  });
});

// Keep idle keep-alive sockets open longer than typical client agents so a
// client never reuses a socket the server is closing at the same instant.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.requestTimeout = 120_000;

server.on("connection", (socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
});
server.on("clientError", (err, socket) => {
  if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  else socket.destroy();
});

let shuttingDown = false;
function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  server.close(() => process.exit(0));
  for (const s of sockets) s.destroy();
  // Bounded: never hang on exit.
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
if (opts.exitOnStdinClose) {
  process.stdin.on("end", shutdown);
  process.stdin.on("error", shutdown);
  process.stdin.resume();
}

server.on("error", (err) => fail(`cannot listen: ${err.message}`));
server.listen(opts.port, opts.host, () => {
  const { port } = server.address();
  const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  process.stdout.write(`listening on http://${host}:${port}\n`);
});
