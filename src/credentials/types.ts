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
  /** Where all `TENCENTCLOUD_*` and `TKE_*` variables are read. Default: `process.env`, when first called. */
  readonly env?: EnvironmentVariables | undefined;
  /**
   * The TKE OIDC step (see `fromOidc`; it runs when its four values are all set), or `false` to skip it. Its `env`
   * is the chain's.
   */
  readonly oidc?: Omit<OidcOptions, "env"> | false | undefined;
  /**
   * The CVM instance metadata step, the last one (see `fromCvmRole`), or `false` to skip it. Its `env` is the
   * chain's.
   */
  readonly cvmRole?: Omit<CvmRoleOptions, "env"> | false | undefined;
}

/** Where a provider's Tencent Cloud API call goes, and how long it may take. */
export interface StsEndpointOptions {
  /**
   * A host (`sts.tencentcloudapi.com`, the default) or an origin (`http://127.0.0.1:8080`, the emulator); the
   * international site is `sts.intl.tencentcloudapi.com`.
   */
  readonly endpoint?: string | undefined;
  /** Timeout of the STS call, in milliseconds (default 10 000). */
  readonly timeoutMs?: number | undefined;
}

export interface CvmRoleOptions {
  /**
   * The CAM role bound to the instance. Default: the one the metadata service names (asked once per provider, at
   * `<endpoint>/latest/meta-data/cam/security-credentials/`).
   */
  readonly roleName?: string | undefined;
  /**
   * The metadata service's origin. Default: `TENCENTCLOUD_METADATA_ENDPOINT`, else
   * `http://metadata.tencentyun.com`.
   */
  readonly endpoint?: string | undefined;
  /** How long one metadata request may take, connecting included, in milliseconds (default 1 000). */
  readonly timeoutMs?: number | undefined;
  /** Where `TENCENTCLOUD_METADATA_ENDPOINT` is read. Default: `process.env`, when called. */
  readonly env?: EnvironmentVariables | undefined;
}

export interface StsAssumeRoleOptions extends StsEndpointOptions {
  /** The role to assume: `qcs::cam::uin/100000000001:roleName/ccc-operator`. */
  readonly roleArn: string;
  /** `RoleSessionName`: 2 to 128 letters, digits and `_+=,.@-`, shown in the role's audit trail. */
  readonly sessionName: string;
  /** How long the role's credentials last, in seconds: 1 to 43 200 (default 7 200). */
  readonly durationSeconds?: number | undefined;
  /** What signs the `AssumeRole` call: credentials, or a provider (cached and refreshed like a client's). */
  readonly source: Credentials | CredentialsProvider;
  /** `X-TC-Region` of the STS call (default `ap-guangzhou`, as Tencent's SDKs). */
  readonly region?: string | undefined;
}

/**
 * `AssumeRoleWithWebIdentity` from a TKE pod's OIDC identity. Each value left out is read, when the provider is
 * called, from the variable TKE's pod identity webhook sets.
 */
export interface OidcOptions extends StsEndpointOptions {
  /** `X-TC-Region` of the STS call. Default: `TKE_REGION`. */
  readonly region?: string | undefined;
  /** The OIDC identity provider's name in CAM. Default: `TKE_PROVIDER_ID`. */
  readonly providerId?: string | undefined;
  /** The file holding the OIDC token, read on every call (TKE rotates it). Default: `TKE_WEB_IDENTITY_TOKEN_FILE`. */
  readonly webIdentityTokenFile?: string | undefined;
  /** The role to assume. Default: `TKE_ROLE_ARN`. */
  readonly roleArn?: string | undefined;
  /** `RoleSessionName`. Default: `ccc-sdk-` and the time in milliseconds, new on every call. */
  readonly sessionName?: string | undefined;
  /** How long the role's credentials last, in seconds: 1 to 43 200 (default 7 200). */
  readonly durationSeconds?: number | undefined;
  /** Where the `TKE_*` variables are read. Default: `process.env`, when called. */
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
