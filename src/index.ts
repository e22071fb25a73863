/** ccc-sdk: the generated CCC client and the runtime it stands on. */
export * from "../generated/index.js";
export type {
  CallMetadata,
  CallOptions,
  CccClientOptions,
  CccPromise,
  FetchPathLoader,
  InputFor,
  Language,
  Logger,
  LogFields,
} from "./client.js";
export { CccBaseClient, fetchPath, parseEndpoint } from "./client.js";
export { MAX_REQUEST_BYTES } from "./validate.js";
export { DEFAULT_MAX_RESPONSE_BYTES } from "./transport.js";
export type {
  Credentials,
  CredentialsCacheOptions,
  CredentialsChainOptions,
  CredentialsProvider,
  CvmRoleOptions,
  OidcOptions,
  ProfileOptions,
  StsAssumeRoleOptions,
  StsEndpointOptions,
} from "./credentials/index.js";
export {
  CredentialsCache,
  defaultCredentialsChain,
  fromCvmRole,
  fromEnv,
  fromOidc,
  fromProfile,
  fromStsAssumeRole,
} from "./credentials/index.js";
export {
  CccAbortError,
  CccConfigError,
  CccConnectionError,
  CccError,
  CccResponseError,
  CccSdkError,
  CccTimeoutError,
  CccUnsafeIntegerError,
  CccValidationError,
  CccWaiterError,
  type WaiterFailureReason,
} from "./errors.js";
export type {
  ActionDefinition,
  ErrorCodeOf,
  MemberShape,
  PagedActionDefinition,
  PaginatorDefinition,
  RequestOf,
  ResponseOf,
  Shape,
  TimeWindowDefinition,
  WaiterAcceptor,
  WaiterDefinition,
  WaiterState,
} from "./action.js";
export {
  paginate,
  timeWindows,
  type ItemOf,
  type PageInput,
  type PaginateOptions,
  type Paginator,
} from "./paginate.js";
export { waitUntil, type WaiterOptions } from "./waiter.js";
export {
  CCC_ATTEMPT_CHANNEL,
  CCC_CALL_CHANNEL,
  type CccAttemptMessage,
  type CccAttemptOutcome,
  type CccCallMessage,
  type CccErrorFacts,
} from "./diagnostics.js";
export {
  createNodeTransport,
  type FetchLike,
  type NodeAgent,
  type NodeTransport,
  type NodeTransportOptions,
} from "./transport.js";
export { Tc3Signer } from "./signer.js";
export type { Backoff } from "./retry.js";
export { localRateLimiter, type RateLimitContext, type RateLimiter, type RateLimitKey } from "./rate-limit.js";
export { AdaptiveRateLimiter, adaptiveRateLimiter, type AdaptiveRateLimiterOptions } from "./adaptive-rate.js";
export type { Violation } from "./validate.js";
export type { Middleware } from "openapi-fetch";
