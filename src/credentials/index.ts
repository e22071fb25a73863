/**
 * Credentials: a static pair, a provider function, the standard environment variables, Tencent's profile file
 * (`~/.tencentcloud/credentials`), the default chain of those two, and a cache that refreshes temporary
 * credentials before they expire.
 *
 * The exported signatures use no Node types, so the published declarations need no @types/node; node:fs,
 * node:os and node:path are used inside only, and only by the modules that read the file (profile.ts and
 * profile-file.ts).
 *
 *   types.ts         the public shapes
 *   check.ts         checkCredentials: trimming, header safety, expiresAt; the redacted credentials object
 *   env.ts           fromEnv, tryFromEnv
 *   profile-file.ts  reading and parsing the file, one profile's credentials
 *   profile.ts       fromProfile, and where the file and profile are
 *   chain.ts         defaultCredentialsChain
 *   cache.ts         CredentialsCache, and the redaction of the provider's errors
 */
export type {
  Credentials,
  CredentialsCacheOptions,
  CredentialsChainOptions,
  CredentialsProvider,
  EnvironmentVariables,
  ProfileOptions,
} from "./types.js";
export { checkCredentials, redacted } from "./check.js";
export { fromEnv, tryFromEnv } from "./env.js";
export { fromProfile } from "./profile.js";
export { defaultCredentialsChain } from "./chain.js";
export { CredentialsCache } from "./cache.js";
