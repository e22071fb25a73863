/**
 * Tencent's credentials file: reading it (with what each failure to read means), parsing its INI text into
 * profiles, and turning one profile into checked credentials. Messages name the file and line, or the profile,
 * and never a value from the file.
 */
import { readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { CccConfigError } from "../errors.js";
import { checkCredentials } from "./check.js";
import type { Credentials, EnvironmentVariables, ProfileOptions } from "./types.js";

/** The keys read from a profile; other keys (`region`, `role_arn`, …) are ignored. */
const PROFILE_KEYS: readonly string[] = ["secret_id", "secret_key", "token"];

interface ProfileEntry {
  readonly value: string;
  readonly line: number;
}

export interface ParsedProfile {
  /** Line of the `[name]` header. */
  readonly line: number;
  readonly entries: Map<string, ProfileEntry>;
}

/** Which file and profile to read, and whether an environment variable chose them (for the messages). */
export interface ProfileLocation {
  readonly file: string;
  /** ` (from TENCENTCLOUD_CREDENTIALS_FILE)` or empty. */
  readonly fileSource: string;
  readonly profile: string;
  /** ` (from TENCENTCLOUD_PROFILE)` or empty. */
  readonly profileSource: string;
}

/**
 * Parses the INI file as Tencent's SDKs read it (tencentcloud-sdk-nodejs parses it with the `ini` package):
 * `[name]` headers, `key = value` lines split at the first `=`, keys case-insensitive, whitespace around keys and
 * values trimmed, `#` and `;` comments on lines of their own or after a value (`token = … ; optional`), a value in
 * matching quotes taken without them. No continuation lines. Messages name the file and line, never a line's
 * content.
 */
export function parseProfiles(text: string, file: string): Map<string, ParsedProfile> {
  const profiles = new Map<string, ParsedProfile>();
  let current: { name: string; profile: ParsedProfile } | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = (lines[i] ?? "").trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    if (line.startsWith("[")) {
      if (!line.endsWith("]"))
        throw new CccConfigError(`${file}:${n}: a profile header must look like [name], with nothing after the "]"`);
      const name = line.slice(1, -1).trim();
      if (!name) throw new CccConfigError(`${file}:${n}: the profile header "[]" has no name`);
      const earlier = profiles.get(name);
      if (earlier)
        throw new CccConfigError(`${file}:${n}: profile "${name}" appears twice (first at line ${earlier.line})`);
      current = { name, profile: { line: n, entries: new Map() } };
      profiles.set(name, current.profile);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0)
      throw new CccConfigError(
        `${file}:${n}: cannot parse this line; expected "[profile]", "key = value" or a comment starting with # or ;`,
      );
    if (!current)
      throw new CccConfigError(`${file}:${n}: a "key = value" line comes before the first [profile] header`);
    const key = line.slice(0, eq).trim().toLowerCase();
    if (!PROFILE_KEYS.includes(key)) continue;
    const earlier = current.profile.entries.get(key);
    if (earlier)
      throw new CccConfigError(
        `${file}:${n}: ${key} appears twice in profile "${current.name}" (first at line ${earlier.line})`,
      );
    current.profile.entries.set(key, { value: iniValue(line.slice(eq + 1)), line: n });
  }
  return profiles;
}

/** A value as the `ini` package reads it: unquoted when in matching quotes, else cut at a `;` or `#` comment. */
function iniValue(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0])
    return value.slice(1, -1);
  const comment = value.search(/[;#]/);
  return (comment === -1 ? value : value.slice(0, comment)).trim();
}

/** The credentials of the profile `where` names, checked; refused, naming the file, when it lacks or spoils them. */
export function profileCredentials(profiles: Map<string, ParsedProfile>, where: ProfileLocation): Credentials {
  const { file, profile: name } = where;
  const profile = profiles.get(name);
  if (!profile) {
    const names = [...profiles.keys()].map((p) => `"${p}"`);
    throw new CccConfigError(
      `profile "${name}"${where.profileSource} is not in the credentials file ${file}; ` +
        (names.length ? `the profiles present are ${names.join(", ")}` : "the file has no [profile] sections"),
    );
  }
  const values: Record<string, string | undefined> = {};
  for (const key of PROFILE_KEYS) {
    const entry = profile.entries.get(key);
    const value = entry && checkedValue(entry, `${file}:${entry.line}: ${key} in profile "${name}"`, key);
    if (value !== undefined) values[key] = value;
  }
  const missing = ["secret_id", "secret_key"].filter((k) => values[k] === undefined);
  if (missing.length)
    throw new CccConfigError(
      `profile "${name}" in the credentials file ${file} (line ${profile.line}) has no ${missing.join(" and no ")}; ` +
        `it needs "secret_id = …" and "secret_key = …" lines`,
    );
  return checkCredentials(
    { secretId: values.secret_id ?? "", secretKey: values.secret_key ?? "", token: values.token },
    `profile "${name}" in ${file}`,
  );
}

/**
 * An entry's value, refused (`at` names the file, line, key and profile) when it is empty or holds whitespace;
 * `undefined` for an empty `token =`.
 */
function checkedValue(entry: ProfileEntry, at: string, key: string): string | undefined {
  if (!entry.value) {
    if (key === "token") return undefined; // `token =` left empty: permanent credentials
    throw new CccConfigError(`${at} is empty`);
  }
  if (/\s/.test(entry.value)) throw new CccConfigError(`${at} contains whitespace, which no key or token has`);
  return entry.value;
}

/** Files already warned about in this process: one warning per file. */
const warned = new Set<string>();

/**
 * A process warning (`process.emitWarning`, code `CCC_CREDENTIALS_FILE_MODE`) when other users may read the
 * credentials file, as ssh does for a private key: the file is still used. Not on Windows, whose modes say nothing.
 */
async function warnIfShared(file: string): Promise<void> {
  if (process.platform === "win32" || warned.has(file)) return;
  const mode = (await stat(file).catch(() => undefined))?.mode;
  if (mode === undefined || (mode & 0o077) === 0) return;
  warned.add(file);
  process.emitWarning(
    `the credentials file ${file} can be read by other users (mode ${(mode & 0o777).toString(8)}); restrict it with: chmod 600 ${file}`,
    { code: "CCC_CREDENTIALS_FILE_MODE" },
  );
}

/** The profile's credentials, or `undefined` when the file does not exist. */
export async function loadProfile(where: ProfileLocation): Promise<Credentials | undefined> {
  const text = await readProfileFile(where);
  return text === undefined ? undefined : profileCredentials(parseProfiles(text, where.file), where);
}

/** The file's text, or `undefined` when it does not exist; refused when it cannot be read or is UTF-16. */
async function readProfileFile(where: ProfileLocation): Promise<string | undefined> {
  const { file } = where;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    if (code === "EISDIR")
      throw new CccConfigError(`the credentials file ${file}${where.fileSource} is a directory`, { cause: error });
    throw new CccConfigError(
      `cannot read the credentials file ${file}${where.fileSource}${typeof code === "string" ? ` (${code})` : ""}`,
      { cause: error },
    );
  }
  await warnIfShared(file);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new CccConfigError(`the credentials file ${file} is UTF-16 encoded; save it as UTF-8`);
  // TextDecoder drops a UTF-8 byte order mark.
  return new TextDecoder("utf-8").decode(bytes);
}

/** The file and profile to read: the options first, then TENCENTCLOUD_CREDENTIALS_FILE and TENCENTCLOUD_PROFILE. */
export function locate(options: ProfileOptions, env: EnvironmentVariables): ProfileLocation {
  const envFile = env.TENCENTCLOUD_CREDENTIALS_FILE?.trim() || undefined;
  const envProfile = env.TENCENTCLOUD_PROFILE?.trim() || undefined;
  let file = options.file ?? envFile ?? join(homedir(), ".tencentcloud", "credentials");
  if (file === "~" || file.startsWith("~/") || file.startsWith("~\\")) file = join(homedir(), file.slice(1));
  return {
    file: resolve(file),
    fileSource: options.file === undefined && envFile !== undefined ? " (from TENCENTCLOUD_CREDENTIALS_FILE)" : "",
    profile: options.profile?.trim() ?? envProfile ?? "default",
    profileSource: options.profile === undefined && envProfile !== undefined ? " (from TENCENTCLOUD_PROFILE)" : "",
  };
}
