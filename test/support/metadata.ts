/**
 * Where the tests point the credentials chain's CVM instance metadata step: a port on 127.0.0.1 nothing listens on
 * (the connection is refused at once), so that no test looks up or contacts metadata.tencentyun.com when it finds
 * no credentials. Set as `TENCENTCLOUD_METADATA_ENDPOINT` for the whole run (test/support/global-setup.ts) and in
 * the environments the tests build themselves.
 */
export const NO_METADATA_ENDPOINT = "http://127.0.0.1:1";

/** The variable, for an environment a test builds: `{ ...NO_METADATA_ENV, TENCENTCLOUD_PROFILE: "x" }`. */
export const NO_METADATA_ENV: Readonly<Record<string, string>> = Object.freeze({
  TENCENTCLOUD_METADATA_ENDPOINT: NO_METADATA_ENDPOINT,
});
