/**
 * The TC3-HMAC-SHA256 checks of a `POST /`, in the order the emulator answers them: the required headers and a
 * well-formed Authorization, the signed headers, the credential scope, the SecretId, the clock, the token, and
 * last the signature itself (src/emulator/tc3.ts computes it).
 */
import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-error.js";
import { header } from "./http.js";
import { recordedCanonicalRequest } from "./records.js";
import {
  canonicalRequest,
  parseAuthorization,
  sameSignature,
  signature,
  stringToSign,
  utcDay,
  type ParsedAuthorization,
} from "./tc3.js";
import type { EmulatorCredential, RecordedRequest } from "./types.js";

export interface VerifierOptions {
  /** The credential scope's service (`ccc`). */
  readonly service: string;
  readonly credentials: readonly EmulatorCredential[];
  /** Temporary credentials also accepted, until their `expiresAt` by `now` (those STS and the metadata issued). */
  readonly temporary?: {
    find(secretId: string): (EmulatorCredential & { readonly expiresAt: number }) | undefined;
  };
  /** How far X-TC-Timestamp may be from the emulator's clock. */
  readonly maxSkewSeconds: number;
  /** The emulator's clock, in milliseconds since the epoch. */
  readonly now: () => number;
}

/** What the headers of a well-formed request say. */
interface SignedRequest {
  readonly auth: ParsedAuthorization;
  readonly host: string;
  readonly timestamp: number;
}

export class RequestVerifier {
  readonly #service: string;
  readonly #credentialsById: ReadonlyMap<string, EmulatorCredential>;
  readonly #temporary: VerifierOptions["temporary"];
  readonly #maxSkewSeconds: number;
  readonly #now: () => number;

  constructor(options: VerifierOptions) {
    this.#service = options.service;
    this.#credentialsById = new Map(options.credentials.map((c) => [c.secretId, c]));
    this.#temporary = options.temporary;
    this.#maxSkewSeconds = options.maxSkewSeconds;
    this.#now = options.now;
  }

  /**
   * Required headers, Authorization, credential, clock, token, signature: throws the ApiError of the first that
   * fails. `record.canonicalRequest` is set once the signature comparison is reached.
   */
  verify(req: IncomingMessage, raw: Buffer, record: Pick<RecordedRequest, "canonicalRequest">): void {
    const signed = wellFormed(req);
    checkSignedHeaders(req, signed.auth.signedHeaders);
    const credential = this.#credential(req, signed);
    this.#checkSignature(req, raw, record, signed, credential);
  }

  /** The credential of the Authorization's scope and SecretId, once the clock and the token agree with it. */
  #credential(req: IncomingMessage, { auth, timestamp }: SignedRequest): EmulatorCredential {
    if (auth.service !== this.#service)
      throw new ApiError(
        "AuthFailure.SignatureFailure",
        `The credential scope's service \`${auth.service}\` is not \`${this.#service}\`.`,
      );
    const credential: (EmulatorCredential & { readonly expiresAt?: number }) | undefined =
      this.#credentialsById.get(auth.secretId) ?? this.#temporary?.find(auth.secretId);
    if (!credential)
      throw new ApiError(
        "AuthFailure.SecretIdNotFound",
        "The SecretId is not found, please ensure that your SecretId is correct.",
      );
    const serverNow = this.#now();
    if (Math.abs(timestamp * 1000 - serverNow) > this.#maxSkewSeconds * 1000)
      throw new ApiError(
        "AuthFailure.SignatureExpire",
        `Signature expired. Timestamp is ${timestamp}, server time is ${Math.floor(serverNow / 1000)} (allowed skew ${this.#maxSkewSeconds} s).`,
      );
    if (auth.date !== utcDay(timestamp))
      throw new ApiError(
        "AuthFailure.SignatureFailure",
        `The credential scope's date \`${auth.date}\` is not the UTC date of X-TC-Timestamp (${utcDay(timestamp)}).`,
      );
    const token = header(req, "x-tc-token");
    if (credential.token !== undefined ? token !== credential.token : token !== undefined)
      throw new ApiError(
        "AuthFailure.TokenFailure",
        credential.token !== undefined
          ? "The X-TC-Token is missing or invalid."
          : "An X-TC-Token was sent for a credential that has none.",
      );
    if (credential.expiresAt !== undefined && serverNow >= credential.expiresAt)
      throw new ApiError(
        "AuthFailure.TokenFailure",
        `The temporary credentials expired at ${new Date(credential.expiresAt).toISOString()}.`,
      );
    return credential;
  }

  #checkSignature(
    req: IncomingMessage,
    raw: Buffer,
    record: Pick<RecordedRequest, "canonicalRequest">,
    { auth, host, timestamp }: SignedRequest,
    credential: EmulatorCredential,
  ): void {
    const names = auth.signedHeaders;
    const headers: Record<string, string | undefined> = {};
    for (const name of names) headers[name] = header(req, name);
    const expected = (canonical: string) =>
      signature(
        credential.secretKey,
        auth.date,
        this.#service,
        stringToSign(timestamp, auth.date, this.#service, canonical),
      );
    let canonical = canonicalRequest(headers, names, raw);
    let matched = sameSignature(expected(canonical), auth.signature);
    // tencentcloud-sdk-nodejs signs the host name without the port it sends in Host; on Tencent's endpoints
    // (port 443) the two are the same, so a port-less signature is accepted too.
    const hostname = /^(\[[^\]]*\]|[^:]*):\d+$/.exec(host)?.[1];
    if (!matched && hostname !== undefined) {
      const alternative = canonicalRequest({ ...headers, host: hostname }, names, raw);
      if (sameSignature(expected(alternative), auth.signature)) {
        canonical = alternative;
        matched = true;
      }
    }
    record.canonicalRequest = recordedCanonicalRequest(canonical);
    if (!matched)
      throw new ApiError(
        "AuthFailure.SignatureFailure",
        "The provided credentials could not be validated. Please check your signature is correct.",
      );
  }
}

function headerLabel(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase()).replace(/^X-Tc-/, "X-TC-");
}

/** The required headers present, the Authorization well-formed, the Content-Type JSON, X-TC-Timestamp in seconds. */
function wellFormed(req: IncomingMessage): SignedRequest {
  for (const name of ["x-tc-action", "x-tc-version", "x-tc-timestamp"])
    if (!header(req, name))
      throw new ApiError("MissingParameter", `The request is missing a required parameter \`${headerLabel(name)}\`.`);
  const auth = parseAuthorization(header(req, "authorization"));
  if (typeof auth === "string") throw new ApiError("AuthFailure.InvalidAuthorization", auth);
  const contentType = header(req, "content-type");
  if (!contentType)
    throw new ApiError("MissingParameter", "The request is missing a required parameter `Content-Type`.");
  if (!contentType.toLowerCase().startsWith("application/json"))
    throw new ApiError("InvalidParameter", `Content-Type \`${contentType}\` is not supported; use application/json.`);
  const host = header(req, "host");
  if (!host) throw new ApiError("MissingParameter", "The request is missing a required parameter `Host`.");
  const timestampText = header(req, "x-tc-timestamp")!;
  if (!/^\d{1,12}$/.test(timestampText))
    throw new ApiError("InvalidParameter", `X-TC-Timestamp \`${timestampText}\` is not a Unix time in seconds.`);
  return { auth, host, timestamp: Number(timestampText) };
}

/** SignedHeaders sorted, without duplicates, with content-type and host, each of them in the request. */
function checkSignedHeaders(req: IncomingMessage, names: readonly string[]): void {
  for (let i = 1; i < names.length; i++)
    if (!(names[i - 1]! < names[i]!))
      throw new ApiError(
        "AuthFailure.InvalidAuthorization",
        `SignedHeaders \`${names.join(";")}\` must be sorted ascending without duplicates.`,
      );
  for (const required of ["content-type", "host"])
    if (!names.includes(required))
      throw new ApiError(
        "AuthFailure.InvalidAuthorization",
        `SignedHeaders \`${names.join(";")}\` must include \`${required}\`.`,
      );
  for (const name of names)
    if (header(req, name) === undefined)
      throw new ApiError("AuthFailure.InvalidAuthorization", `Signed header \`${name}\` is not in the request.`);
}
