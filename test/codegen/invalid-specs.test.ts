/**
 * The loader's battery of invalid specs. Each case copies the fixture spec (test/fixtures/spec/: service.yaml and
 * the seed actions and model, copies of spec/'s) to a temporary folder, makes one small edit and
 * expects `loadSpec` to throw a SpecError with an issue that names the file, the line, the YAML path and says
 * what is wrong in words a spec author understands.
 *
 * `at` is the text of the line the issue must point at (it must occur on exactly one line of the edited file),
 * so the cases keep working when unrelated lines of the seed specs move; a number is a literal line.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatIssue, loadSpec, SpecError, type SpecIssue } from "../../codegen/load.js";
import { applyEdit, copySpec, lineOf, removeDir, tempDir, type Edit } from "./helpers.js";

const DISABLE = "actions/DisableCCCPhoneNumber.yaml";
const MODIFY = "actions/ModifyOwnNumberApply.yaml";
const ITEM = "models/OwnNumberApplyDetailItem.yaml";
const SERVICE = "service.yaml";
const PUSH = "pushes/Record.yaml";

/** A valid push (spec/pushes/Record.yaml cut short), written into the copy by the push cases. */
const RECORD_PUSH = `push: Record
action: record
version: "1"
title: { zh: 电话录音数据推送, en: Call recordings }
description: { en: One recording per participant of a session. }
members:
  SdkAppId:
    type: int64
    required: true
    description: { en: The application ID. }
  EndpointUser:
    type: string
    description: { en: Whose recording it is. }
  RecordURL:
    type: string
    required: true
    description: { en: URL of the recording. }
example:
  SdkAppId: 1400264214
  EndpointUser: lululing@tencent.com
  RecordURL: https://example.com/r.mp3
`;

/** The valid push with `from` replaced by `to` (which must occur once). */
function recordPush(from?: string, to = ""): Edit {
  if (from === undefined) return { file: PUSH, write: RECORD_PUSH };
  if (RECORD_PUSH.split(from).length !== 2)
    throw new Error(`test setup: ${JSON.stringify(from)} is not in the push once`);
  return { file: PUSH, write: RECORD_PUSH.replace(from, to) };
}

interface Want {
  /** Spec file, relative to the spec folder. */
  readonly file: string;
  /** Text on the expected line, or the line number. */
  readonly at: string | number;
  /** YAML path (`""` for the whole file). */
  readonly path: string;
  /** Fragments the message must contain, in any order. */
  readonly message: readonly string[];
}

interface Case {
  readonly name: string;
  readonly edits: readonly Edit[];
  readonly want: Want;
}

const cases: readonly Case[] = [
  {
    name: "YAML syntax error: a plain scalar containing `: `",
    edits: [
      {
        file: DISABLE,
        replace: [
          'description: { zh: 停用开关，0启用 1停用, en: "Disable switch: 0 for enable, 1 for disable." }',
          "description:\n      zh: 停用开关，0启用 1停用\n      en: Disable switch: 0 for enable, 1 for disable.",
        ],
      },
    ],
    want: {
      file: DISABLE,
      at: "en: Disable switch: 0 for enable",
      path: "",
      message: ["not valid YAML", "Nested mappings"],
    },
  },
  {
    name: "YAML syntax error: a tab used as indentation",
    edits: [{ file: DISABLE, replace: ["  SdkAppId:\n    type: uint64\n", "  SdkAppId:\n\ttype: uint64\n"] }],
    want: { file: DISABLE, at: "\ttype: uint64", path: "", message: ["not valid YAML", "Tabs are not allowed"] },
  },
  {
    name: "unknown member type, with a suggestion",
    edits: [{ file: DISABLE, replace: ["  PhoneNumbers:\n    type: string\n", "  PhoneNumbers:\n    type: strng\n"] }],
    want: {
      file: DISABLE,
      at: "type: strng",
      path: "input.PhoneNumbers.type",
      message: ["unknown type `strng`", "Did you mean `string`?"],
    },
  },
  {
    name: "unknown model name, with a suggestion",
    edits: [{ file: MODIFY, replace: ["type: OwnNumberApplyDetailItem", "type: OwnNumberApplyDetail"] }],
    want: {
      file: MODIFY,
      at: "type: OwnNumberApplyDetail",
      path: "input.DetailList.type",
      message: ["unknown type `OwnNumberApplyDetail`", "Did you mean `OwnNumberApplyDetailItem`?", "models/"],
    },
  },
  {
    name: "unknown type in a model file",
    edits: [{ file: ITEM, replace: ["  PhoneNumber:\n    type: string\n", "  PhoneNumber:\n    type: sting\n"] }],
    want: {
      file: ITEM,
      at: "type: sting",
      path: "members.PhoneNumber.type",
      message: ["unknown type `sting`", "`string`"],
    },
  },
  {
    name: "missing required key: the title of an action",
    edits: [
      { file: DISABLE, replace: ["title:\n  zh: 停用号码\n  en: Disable phone numbers\n  handWritten: true\n", ""] },
    ],
    want: {
      file: DISABLE,
      at: "action: DisableCCCPhoneNumber",
      path: "",
      message: ["required key `title` is missing"],
    },
  },
  {
    name: "duplicate member in input",
    edits: [
      {
        file: DISABLE,
        replace: [
          "  SdkAppId:\n",
          "  Disabled: # again\n    type: bool\n    description: { en: Again. }\n  SdkAppId:\n",
        ],
      },
    ],
    want: {
      file: DISABLE,
      at: "  Disabled: # again",
      path: "input.Disabled",
      message: ["duplicate member `Disabled`", "first defined on line"],
    },
  },
  {
    name: "duplicate key at the top level",
    edits: [
      { file: DISABLE, replace: ["rateLimitPerSecond: 20\n", "rateLimitPerSecond: 20\nrateLimitPerSecond: 10\n"] },
    ],
    want: { file: DISABLE, at: "rateLimitPerSecond: 10", path: "rateLimitPerSecond", message: ["duplicate key"] },
  },
  {
    name: "enum value of the wrong type (a quoted number on an int64 member)",
    edits: [{ file: DISABLE, replace: ["      - value: 1\n", '      - value: "1"\n'] }],
    want: {
      file: DISABLE,
      at: '- value: "1"',
      path: "input.Disabled.enum[1].value",
      message: ['enum value "1" does not fit the member type int64', "without quotes"],
    },
  },
  {
    name: "negative enum value on a uint64 member",
    edits: [{ file: DISABLE, replace: ["    type: uint64\n", "    type: uint64\n    enum: [{ value: -1 }]\n"] }],
    want: {
      file: DISABLE,
      at: "enum: [{ value: -1 }]",
      path: "input.SdkAppId.enum[0].value",
      message: ["enum value -1 does not fit the member type uint64"],
    },
  },
  {
    name: "duplicate enum value",
    edits: [{ file: DISABLE, replace: ["      - value: 1\n", "      - value: 0 # again\n"] }],
    want: {
      file: DISABLE,
      at: "- value: 0 # again",
      path: "input.Disabled.enum[1].value",
      message: ["enum value 0 is listed twice"],
    },
  },
  {
    name: "an enum on a model member",
    edits: [
      {
        file: MODIFY,
        replace: [
          "    type: OwnNumberApplyDetailItem\n",
          "    type: OwnNumberApplyDetailItem\n    enum: [{ value: 1 }]\n",
        ],
      },
    ],
    want: {
      file: MODIFY,
      at: "enum: [{ value: 1 }]",
      path: "input.DetailList.enum",
      message: ["model member cannot have an enum"],
    },
  },
  {
    name: "unknown key in a member, with a suggestion",
    edits: [
      { file: DISABLE, replace: ["    list: true\n    required: true\n", "    list: true\n    requird: true\n"] },
    ],
    want: {
      file: DISABLE,
      at: "requird: true",
      path: "input.PhoneNumbers.requird",
      message: ["unknown key `requird`", "Did you mean `required`?"],
    },
  },
  {
    name: "`minItems` without `list: true`",
    edits: [
      {
        file: MODIFY,
        replace: ["    description: { zh: 送号前缀", "    minItems: 1\n    description: { zh: 送号前缀"],
      },
    ],
    want: {
      file: MODIFY,
      at: "minItems: 1",
      path: "input.Prefix.minItems",
      message: ["only applies to lists", "list: true"],
    },
  },
  {
    name: "`pattern` on an int64 member",
    edits: [{ file: DISABLE, replace: ["    type: int64\n", '    type: int64\n    pattern: "^1"\n'] }],
    want: {
      file: DISABLE,
      at: 'pattern: "^1"',
      path: "input.Disabled.pattern",
      message: ["pattern only applies to string members", "int64"],
    },
  },
  {
    name: "invalid regular expression",
    edits: [{ file: DISABLE, replace: ["pattern: ^0086", 'pattern: "^(0086"'] }],
    want: {
      file: DISABLE,
      at: 'pattern: "^(0086"',
      path: "input.PhoneNumbers.pattern",
      message: ["not a valid regular expression"],
    },
  },
  {
    name: "`minimum` on a string member",
    edits: [
      { file: MODIFY, replace: ["    description: { zh: 送号前缀", "    minimum: 0\n    description: { zh: 送号前缀"] },
    ],
    want: {
      file: MODIFY,
      at: "minimum: 0",
      path: "input.Prefix.minimum",
      message: ["only applies to numeric members", "string"],
    },
  },
  {
    name: "`minLength` on a uint64 member",
    edits: [{ file: DISABLE, replace: ["    type: uint64\n", "    type: uint64\n    minLength: 1\n"] }],
    want: {
      file: DISABLE,
      at: "minLength: 1",
      path: "input.SdkAppId.minLength",
      message: ["only applies to string members", "uint64"],
    },
  },
  {
    name: "`nullable` on an input member",
    edits: [{ file: DISABLE, replace: ["    type: uint64\n", "    type: uint64\n    nullable: true\n"] }],
    want: {
      file: DISABLE,
      at: "nullable: true",
      path: "input.SdkAppId.nullable",
      message: ["does not apply to input members"],
    },
  },
  {
    name: "invalid member name",
    edits: [{ file: DISABLE, replace: ["  SdkAppId:\n", "  Sdk-AppId:\n"] }],
    want: { file: DISABLE, at: "  Sdk-AppId:", path: "input.Sdk-AppId", message: ["`Sdk-AppId`", "member name"] },
  },
  {
    name: "empty text (neither zh nor en)",
    edits: [
      {
        file: DISABLE,
        replace: [
          "    description: { zh: TCCC 实例应用 ID, en: TCCC instance application id. }\n",
          "    description: {}\n",
        ],
      },
    ],
    want: {
      file: DISABLE,
      at: "description: {}",
      path: "input.SdkAppId.description",
      message: ["must not be empty", "`zh`", "`en`"],
    },
  },
  {
    name: "a boolean written as `yes`",
    edits: [{ file: DISABLE, replace: ["idempotent: true", "idempotent: yes"] }],
    want: { file: DISABLE, at: "idempotent: yes", path: "idempotent", message: ["must be true or false"] },
  },
  {
    name: "no reason for `idempotent`",
    edits: [
      {
        file: DISABLE,
        replace: [
          "idempotentReason: Sets the numbers' disabled flag to the given value; a repeat writes the same state again.\n",
          "",
        ],
      },
    ],
    want: {
      file: DISABLE,
      at: "action:",
      path: "idempotentReason",
      message: ["`idempotentReason` is missing", "one line"],
    },
  },
  {
    name: "an importer's unreviewed `idempotent`",
    edits: [
      {
        file: DISABLE,
        replace: [
          "idempotentReason: Sets the numbers' disabled flag to the given value; a repeat writes the same state again.",
          'idempotentReason: "unreviewed: true by the importer\'s verb rule (Disable: repeating it leaves the same state)"',
        ],
      },
    ],
    want: {
      file: DISABLE,
      at: "idempotentReason:",
      path: "idempotentReason",
      message: ["has not been reviewed", "replace this line with the reason"],
    },
  },
  {
    name: "docs address that is not https",
    edits: [{ file: DISABLE, replace: ["zh: https://cloud", "zh: http://cloud"] }],
    want: { file: DISABLE, at: "zh: http://cloud", path: "docs.zh", message: ["https://"] },
  },
  {
    name: "action name differs from the file name",
    edits: [{ file: DISABLE, replace: ["action: DisableCCCPhoneNumber", "action: DisableCccPhoneNumber"] }],
    want: {
      file: DISABLE,
      at: "action: DisableCccPhoneNumber",
      path: "action",
      message: ["`DisableCccPhoneNumber`", "DisableCCCPhoneNumber.yaml", "name the file after the action"],
    },
  },
  {
    name: "model name differs from the file name",
    edits: [{ file: ITEM, replace: ["model: OwnNumberApplyDetailItem", "model: OwnNumberApplyDetail"] }],
    want: {
      file: ITEM,
      at: "model: OwnNumberApplyDetail",
      path: "model",
      message: ["`OwnNumberApplyDetail`", "OwnNumberApplyDetailItem.yaml", "name the file after the model"],
    },
  },
  {
    name: "an added action file whose action has another name",
    edits: [
      {
        file: "actions/DescribeThing.yaml",
        write:
          "action: DescribeThings\ntitle: { en: Describe things }\ndescription: { en: Describe things. }\nidempotent: true\nidempotentReason: Read-only.\ninput: {}\noutput: {}\nerrors: []\n",
      },
    ],
    want: {
      file: "actions/DescribeThing.yaml",
      at: "action: DescribeThings",
      path: "action",
      message: ["`DescribeThings`", "DescribeThing.yaml"],
    },
  },
  {
    name: "example request that breaks the input",
    edits: [{ file: DISABLE, replace: ["      Disabled: 0\n", "      Disabled: 5\n"] }],
    want: {
      file: DISABLE,
      at: "      Disabled: 5",
      path: "examples[0].request.Disabled",
      message: ["example request breaks the input", "must be one of 0, 1", "5"],
    },
  },
  {
    name: "example request that breaks a nested model member",
    edits: [{ file: MODIFY, replace: ["        - CallType: 2\n", "        - CallType: 3\n"] }],
    want: {
      file: MODIFY,
      at: "- CallType: 3",
      path: "examples[0].request.DetailList[0].CallType",
      message: ["example request breaks the input", "DetailList[0].CallType must be one of 0, 1, 2"],
    },
  },
  {
    name: "example response with a member the output does not have",
    edits: [{ file: DISABLE, replace: ["      RequestId: 3651", "      Status: 1\n      RequestId: 3651"] }],
    want: {
      file: DISABLE,
      at: "      Status: 1",
      path: "examples[0].response.Status",
      message: ["`Status` is not an output member of DisableCCCPhoneNumber"],
    },
  },
  {
    name: "member example that breaks the member's own rules",
    edits: [{ file: DISABLE, replace: ["    example: 1\n", "    example: 7\n"] }],
    want: {
      file: DISABLE,
      at: "    example: 7",
      path: "input.Disabled.example",
      message: ["example does not fit the member", "must be one of 0, 1"],
    },
  },
  {
    name: "duplicate error code",
    edits: [
      {
        file: DISABLE,
        replace: ["code: InvalidParameter.DuplicateSipAccount", "code: InvalidParameter.DuplicateAddress # again"],
      },
    ],
    want: {
      file: DISABLE,
      at: "code: InvalidParameter.DuplicateAddress # again",
      path: "errors[4].code",
      message: ["error code `InvalidParameter.DuplicateAddress` is listed twice"],
    },
  },
  {
    name: "unknown retry class of a common error",
    edits: [
      {
        file: SERVICE,
        replace: [
          '      en: "Internal error."\n    retry: idempotent',
          '      en: "Internal error."\n    retry: sometimes',
        ],
      },
    ],
    want: {
      file: SERVICE,
      at: "retry: sometimes",
      path: "commonErrors[11].retry",
      message: ["must be one of", '"always"', '"idempotent"'],
    },
  },
  {
    name: "service.yaml is missing",
    edits: [{ file: SERVICE, remove: true }],
    want: { file: SERVICE, at: 1, path: "", message: ["service file is missing", "service.yaml"] },
  },
  {
    name: "no action files",
    edits: [{ file: "actions", remove: true }],
    want: { file: "actions", at: 1, path: "", message: ["no action specs found"] },
  },
  {
    name: "RequestId declared in output",
    edits: [
      {
        file: DISABLE,
        replace: [
          "output: {}",
          "output:\n  RequestId: # declared\n    type: string\n    description: { en: Request id. }",
        ],
      },
    ],
    want: {
      file: DISABLE,
      at: "  RequestId: # declared",
      path: "output.RequestId",
      message: ["RequestId is added to every output by the generator"],
    },
  },
  {
    name: "push: named unlike its file",
    edits: [recordPush("push: Record", "push: Recording")],
    want: { file: PUSH, at: "push: Recording", path: "push", message: ["called `Recording`", "Record.yaml"] },
  },
  {
    name: "push: a required key missing (its action)",
    edits: [recordPush("action: record\n", "")],
    want: { file: PUSH, at: 1, path: "", message: ["required key `action` is missing"] },
  },
  {
    name: "push: an action that is not a query value",
    edits: [recordPush("action: record", "action: Record Push")],
    want: { file: PUSH, at: "action: Record Push", path: "action", message: ["must be text matching"] },
  },
  {
    name: "push: an unknown key, with a suggestion",
    edits: [recordPush("example:", "exmple:")],
    want: { file: PUSH, at: "exmple:", path: "exmple", message: ["unknown key `exmple`", "Did you mean `example`?"] },
  },
  {
    name: "push: neither members nor a model",
    edits: [recordPush(RECORD_PUSH.slice(RECORD_PUSH.indexOf("members:"), RECORD_PUSH.indexOf("example:")), "")],
    want: { file: PUSH, at: 1, path: "", message: ["needs `members`, a `model`"] },
  },
  {
    name: "push: an unknown model, with a suggestion",
    edits: [recordPush("members:", "model: OwnNumberApplyDetail\nmembers:")],
    want: {
      file: PUSH,
      at: "model: OwnNumberApplyDetail",
      path: "model",
      message: ["unknown model `OwnNumberApplyDetail`", "Did you mean `OwnNumberApplyDetailItem`?"],
    },
  },
  {
    name: "push: an own member the model has already",
    edits: [
      recordPush(
        "members:\n",
        "model: OwnNumberApplyDetailItem\nmembers:\n  PhoneNumber:\n    type: string\n    description: { en: Number. }\n",
      ),
    ],
    want: {
      file: PUSH,
      at: "  PhoneNumber:",
      path: "members.PhoneNumber",
      message: ["`PhoneNumber` is a member of the model OwnNumberApplyDetailItem already"],
    },
  },
  {
    name: "push: an unknown member type",
    edits: [recordPush("    type: int64", "    type: int46")],
    want: {
      file: PUSH,
      at: "type: int46",
      path: "members.SdkAppId.type",
      message: ["unknown type `int46`", "`int64`"],
    },
  },
  {
    name: "push: numberAsString on a member that is not a string",
    edits: [recordPush("    type: int64\n", "    type: int64\n    numberAsString: true\n")],
    want: {
      file: PUSH,
      at: "numberAsString: true",
      path: "members.SdkAppId.numberAsString",
      message: ["only applies to a string member", "int64"],
    },
  },
  {
    name: "push: an example member of the wrong type",
    edits: [recordPush("  SdkAppId: 1400264214", '  SdkAppId: "1400264214"')],
    want: {
      file: PUSH,
      at: '  SdkAppId: "1400264214"',
      path: "example.SdkAppId",
      message: ["the example breaks the push's members", "SdkAppId must be an integer"],
    },
  },
  {
    name: "push: an example without a required member",
    edits: [recordPush("  RecordURL: https://example.com/r.mp3\n", "")],
    want: { file: PUSH, at: "example:", path: "example.RecordURL", message: ["RecordURL is required"] },
  },
  {
    name: "push: an example member the push does not declare",
    edits: [recordPush("  EndpointUser: lululing@tencent.com", "  EndPointUser: lululing@tencent.com")],
    want: {
      file: PUSH,
      at: "  EndPointUser: lululing",
      path: "example.EndPointUser",
      message: ["`EndPointUser` is not a member of the push"],
    },
  },
  {
    name: "push: a number for a string member without numberAsString",
    edits: [recordPush("  EndpointUser: lululing@tencent.com", "  EndpointUser: 13123456789")],
    want: {
      file: PUSH,
      at: "  EndpointUser: 13123456789",
      path: "example.EndpointUser",
      message: ["must be a string"],
    },
  },
  {
    name: "push: two pushes with the same action",
    edits: [
      recordPush(),
      { file: "pushes/Voicemail.yaml", write: RECORD_PUSH.replace("push: Record", "push: Voicemail") },
    ],
    want: {
      file: "pushes/Voicemail.yaml",
      at: "action: record",
      path: "action",
      message: ["the push Record has the action `record` already"],
    },
  },
  {
    name: "push: its type would be a model's name",
    edits: [
      {
        file: "pushes/OwnNumberApplyDetail.yaml",
        write: RECORD_PUSH.replace("push: Record", "push: OwnNumberApplyDetail"),
      },
      {
        file: "models/OwnNumberApplyDetailPush.yaml",
        write: "model: OwnNumberApplyDetailPush\ndescription: { en: A clash. }\nmembers: {}\n",
      },
    ],
    want: {
      file: "pushes/OwnNumberApplyDetail.yaml",
      at: "push: OwnNumberApplyDetail",
      path: "push",
      message: ["`OwnNumberApplyDetailPush`, which is the name of a model"],
    },
  },
];

let dir: string | undefined;
afterEach(async () => {
  await removeDir(dir);
  dir = undefined;
});

/** Copies the fixture spec, applies the edits, loads it and returns the SpecError's issues (fails if it loads or throws else). */
async function issuesOf(edits: readonly Edit[]): Promise<readonly SpecIssue[]> {
  dir = await copySpec(await tempDir("invalid"));
  for (const edit of edits) await applyEdit(dir, edit);
  let error: unknown;
  try {
    await loadSpec(dir);
  } catch (e) {
    error = e;
  }
  expect(error, "loadSpec should reject the edited spec").toBeDefined();
  expect(error, `loadSpec should throw a SpecError, not: ${String(error)}`).toBeInstanceOf(SpecError);
  return (error as SpecError).issues;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A matcher for a message containing every fragment. */
function containing(fragments: readonly string[]): RegExp {
  return new RegExp(`^${fragments.map((f) => `(?=[\\s\\S]*${escapeRegExp(f)})`).join("")}`);
}

describe("loadSpec rejects invalid specs with located, readable issues", () => {
  it("has at least 14 cases with distinct names", () => {
    expect(cases.length).toBeGreaterThanOrEqual(14);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it("loads the unmodified copy (the control case)", async () => {
    dir = await copySpec(await tempDir("control"));
    const service = await loadSpec(dir);
    expect(service.actions.map((a) => a.name)).toContain("DisableCCCPhoneNumber");
  });

  it.each(cases)("$name", async ({ edits, want }) => {
    const issues = await issuesOf(edits);
    const file = path.join(dir!, want.file);
    const line = typeof want.at === "number" ? want.at : lineOf(await readFile(file, "utf8"), want.at);
    expect(issues).toContainEqual(
      expect.objectContaining({
        file,
        line,
        path: want.path,
        message: expect.stringMatching(containing(want.message)),
      }),
    );
    for (const issue of issues) {
      expect(issue.line, formatIssue(issue)).toBeGreaterThanOrEqual(1);
      expect(issue.column, formatIssue(issue)).toBeGreaterThanOrEqual(1);
      expect(issue.message, formatIssue(issue)).toMatch(/\S/);
    }
  });

  it("reports problems of several files together in one SpecError", async () => {
    const issues = await issuesOf([
      { file: SERVICE, replace: ['version: "2020-02-10"', "version: 2020-2-10"] },
      { file: DISABLE, replace: ["  PhoneNumbers:\n    type: string\n", "  PhoneNumbers:\n    type: strng\n"] },
      { file: ITEM, replace: ["      - value: 2\n", '      - value: "2"\n'] },
    ]);
    const want: [string, string][] = [
      [SERVICE, "version"],
      [DISABLE, "input.PhoneNumbers.type"],
      [ITEM, "members.CallType.enum[2].value"],
    ];
    for (const [file, at] of want)
      expect(issues).toContainEqual(expect.objectContaining({ file: path.join(dir!, file), path: at }));
    expect(new Set(issues.map((i) => i.file)).size).toBeGreaterThanOrEqual(3);
  });

  it("formats an issue as file:line:col: path: message, and the SpecError lists every issue", async () => {
    const issues = await issuesOf([
      { file: DISABLE, replace: ["  PhoneNumbers:\n    type: string\n", "  PhoneNumbers:\n    type: strng\n"] },
      { file: MODIFY, replace: ["idempotent: true", "idempotent: 1"] },
    ]);
    const strng = issues.find((i) => i.path === "input.PhoneNumbers.type");
    expect(strng).toBeDefined();
    const line = lineOf(await readFile(path.join(dir!, DISABLE), "utf8"), "type: strng");
    expect(formatIssue(strng!)).toBe(
      `${path.join(dir!, DISABLE)}:${line}:11: input.PhoneNumbers.type: ${strng!.message}`,
    );
    expect(formatIssue({ ...strng!, path: "" })).toBe(`${path.join(dir!, DISABLE)}:${line}:11: ${strng!.message}`);
    const error = new SpecError(issues);
    expect(error.message).toContain(`${issues.length} problem(s)`);
    for (const issue of issues) expect(error.message).toContain(formatIssue(issue));
  });
});
