/**
 * The credentials file's parser (src/credentials/profile-file.ts) on text alone: no file is read, so line ends,
 * line numbers and the location named in messages are checked directly.
 */
import { describe, expect, it } from "vitest";
import { parseProfiles, profileCredentials, type ProfileLocation } from "../../src/credentials/profile-file.js";
import { CccConfigError } from "../../src/errors.js";

const FILE = "/nowhere/credentials";
const where = (profile: string, profileSource = ""): ProfileLocation => ({
  file: FILE,
  fileSource: "",
  profile,
  profileSource,
});

describe("parseProfiles", () => {
  it("numbers lines across \\n, \\r\\n and lone \\r ends, keeping only the keys it reads, lower-cased", () => {
    const text = "# comment\r\n[default]\rSECRET_ID = a\nregion = ap-guangzhou\r\n\n  [prod]  \n; c\nSecret_Key=b=c";
    const profiles = parseProfiles(text, FILE);
    expect([...profiles.keys()]).toEqual(["default", "prod"]);
    expect(profiles.get("default")).toEqual({ line: 2, entries: new Map([["secret_id", { value: "a", line: 3 }]]) });
    expect(profiles.get("prod")).toEqual({ line: 6, entries: new Map([["secret_key", { value: "b=c", line: 8 }]]) });
  });

  it("names the file and line it was given, never the line's content", () => {
    expect(() => parseProfiles("[a]\nsecret_id = x\nnot-a-pair-SECRET", FILE)).toThrow(
      new CccConfigError(
        `${FILE}:3: cannot parse this line; expected "[profile]", "key = value" or a comment starting with # or ;`,
      ),
    );
  });
});

describe("profileCredentials", () => {
  const profiles = parseProfiles("[a]\nsecret_id = id-a\nsecret_key = key-a\ntoken =\n[b]\nsecret_id = id-b", FILE);

  it("checks the credentials of the profile the location names; an empty token is none", () => {
    const credentials = profileCredentials(profiles, where("a"));
    expect([credentials.secretId, credentials.secretKey, credentials.token]).toEqual(["id-a", "key-a", undefined]);
  });

  it("says where the profile came from, and what a profile lacks", () => {
    expect(() => profileCredentials(profiles, where("c", " (from TENCENTCLOUD_PROFILE)"))).toThrow(
      `profile "c" (from TENCENTCLOUD_PROFILE) is not in the credentials file ${FILE}; the profiles present are "a", "b"`,
    );
    expect(() => profileCredentials(profiles, where("b"))).toThrow(
      `profile "b" in the credentials file ${FILE} (line 5) has no secret_key;`,
    );
  });
});
