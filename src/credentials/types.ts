/**
 * The public shapes of credentials and of the options of their sources. They use no Node types, so the published
 * declarations need no @types/node.
 */

export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
  /** Session token of temporary credentials, sent as `X-TC-Token`. */
  readonly token?: string | undefined;
  /**
   * When temporary credentials expire, in milliseconds since the epoch. Tencent's STS answers `ExpiredTime` in
   * seconds: multiply it by 1000. `CredentialsCache` refreshes the credentials before this time.
   */
  readonly expiresAt?: number | undefined;
}

/** Called before requests; may return cached credentials. */
export type CredentialsProvider = () => Credentials | Promise<Credentials>;

/** Environment variables, as `process.env` holds them. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

export interface ProfileOptions {
  /** The profile (`[name]` section) to read. Default: `TENCENTCLOUD_PROFILE`, else `default`. */
  readonly profile?: string | undefined;
  /**
   * The file to read; a leading `~` is the home directory, a relative path is relative to the working directory.
   * Default: `TENCENTCLOUD_CREDENTIALS_FILE` (as Tencent's Go SDK reads it), else
   * `<home>/.tencentcloud/credentials` with the home directory taken when the file is read.
   */
  readonly file?: string | undefined;
  /** Where `TENCENTCLOUD_PROFILE` and `TENCENTCLOUD_CREDENTIALS_FILE` are read. Default: `process.env`, when called. */
  readonly env?: EnvironmentVariables | undefined;
}

export interface CredentialsChainOptions extends ProfileOptions {
  /** Where all `TENCENTCLOUD_*` variables are read. Default: `process.env`, when first called. */
  readonly env?: EnvironmentVariables | undefined;
}

export interface CredentialsCacheOptions {
  /**
   * Refresh credentials this long before their `expiresAt` (default 300 000 ms = 5 minutes), but never earlier
   * than half-way through the lifetime they had when fetched.
   */
  readonly refreshBeforeMs?: number | undefined;
  /** The clock, in milliseconds since the epoch (default `Date.now`). */
  readonly now?: (() => number) | undefined;
}
