/**
 * Credentials: a static pair, a provider function, the standard environment variables, Tencent's profile file
 * (`~/.tencentcloud/credentials`), temporary credentials without long-lived keys (STS AssumeRole, a TKE pod's
 * OIDC identity, a CVM instance's role), the default chain of those, and a cache that refreshes temporary
 * credentials before they expire.
 *
 * The exported signatures use no Node types, so the published declarations need no @types/node; node:fs,
 * node:os and node:path are used inside only, and only by the modules that read files (profile.ts and
 * profile-file.ts; oidc.ts through src/builtins.ts), each loaded when first used.
 *
 *   types.ts         the public shapes
 *   check.ts         checkCredentials: trimming, header safety, expiresAt; the redacted credentials object
 *   env.ts           fromEnv, tryFromEnv
 *   profile-file.ts  reading and parsing the file, one profile's credentials
 *   profile.ts       fromProfile, and where the file and profile are
 *   temporary.ts     Tencent's temporary credentials as Credentials; the role providers' shared option checks
 *   sts.ts           STS calls (AssumeRole signed, AssumeRoleWithWebIdentity unsigned), fromStsAssumeRole
 *   oidc.ts          fromOidc, and which TKE variables are set
 *   metadata.ts      fromCvmRole: the CVM instance metadata
 *   chain.ts         defaultCredentialsChain
 *   cache.ts         CredentialsCache, and the redaction of the provider's errors
 */
export type {
  Credentials,
  CredentialsCacheOptions,
  CredentialsChainOptions,
  CredentialsProvider,
  CvmRoleOptions,
  EnvironmentVariables,
  OidcOptions,
  ProfileOptions,
  StsAssumeRoleOptions,
  StsEndpointOptions,
} from "./types.js";
export { checkCredentials, redacted } from "./check.js";
export { fromEnv, tryFromEnv } from "./env.js";
export { fromProfile } from "./profile.js";
export { fromStsAssumeRole } from "./sts.js";
export { fromOidc } from "./oidc.js";
export { fromCvmRole } from "./metadata.js";
export { defaultCredentialsChain } from "./chain.js";
export { CredentialsCache } from "./cache.js";
