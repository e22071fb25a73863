/**
 * Loads spec/ into the intermediate model: parse YAML (keeping positions), check each file against the spec's JSON
 * Schema (codegen/spec-schema.ts, built from the member vocabulary), then check what a schema cannot (types and
 * models resolve, enum values fit the member type, examples satisfy the members, names match file names). Every
 * problem becomes a SpecIssue with the file, line, column, YAML path and a sentence; all problems of all files are
 * reported together.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { ConstraintValues, MemberShape, Shape } from "../src/action.js";
import { isModelRequired } from "../src/push/payload.js";
import { validate } from "../src/validate.js";
import { UNREVIEWED, type RawMember } from "./import/types.js";
import {
  memberFacts,
  type Action,
  type ActionGroup,
  type ErrorCode,
  type Example,
  type Member,
  type Model,
  type Push,
  type Service,
  type SpecWarning,
  type Text,
} from "./ir.js";
import { checkPaginator, checkWaiters } from "./load-paging.js";
import { specSchema, SPEC_SCHEMA_ID } from "./spec-schema.js";
import {
  applies,
  constraintsOf,
  CONSTRAINT_NAMES,
  doesNotApply,
  enumValueFits,
  isScalarType,
  memberShape,
  SCALAR_TYPES,
} from "./vocabulary.js";

/** A problem at a place in a spec file: the spec does not load. */
export interface SpecIssue extends SpecWarning {
  /** A decision left to a person (an importer's unreviewed `idempotent`), not a mistake. */
  readonly needsReview?: true;
}

export function formatIssue(issue: SpecWarning): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.path ? `${issue.path}: ` : ""}${issue.message}`;
}

export class SpecError extends Error {
  constructor(readonly issues: readonly SpecIssue[]) {
    super(`${issues.length} problem(s) in the spec:\n${issues.map((i) => `  ${formatIssue(i)}`).join("\n")}`);
    this.name = "SpecError";
  }
}

type Segment = string | number;
type Kind = "service" | "action" | "model" | "push";

/** One parsed YAML file with what is needed to point at its nodes. */
class SpecFile {
  readonly issues: SpecIssue[] = [];
  readonly warnings: SpecWarning[] = [];
  private readonly lines = new LineCounter();
  readonly doc: Document.Parsed;

  constructor(
    readonly display: string,
    readonly relative: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: false, prettyErrors: false });
    for (const e of this.doc.errors) {
      const pos = this.lines.linePos(e.pos[0]);
      this.issues.push({
        file: display,
        line: pos.line,
        column: pos.col,
        path: "",
        message: yamlMessage(e.code, e.message),
      });
    }
    if (this.doc.errors.length === 0) this.findDuplicateKeys(this.doc.contents, []);
  }

  /** Position of the node at `segments`; with `key`, of that key inside the map at `segments`. */
  private position(segments: readonly Segment[], key?: string): { line: number; col: number } {
    let node: unknown = this.doc.contents;
    let best: unknown = node;
    for (const seg of key === undefined ? segments : [...segments, key]) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        best = (key !== undefined && seg === key) || !isScalar(pair.value) ? pair.key : pair.value;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number" && node.items[seg]) {
        node = best = node.items[seg];
      } else break;
    }
    const range = (best as Node | null)?.range;
    return this.lines.linePos(range ? range[0] : 0);
  }

  report(segments: readonly Segment[], message: string, key?: string, needsReview = false): void {
    this.issues.push({ ...this.at(segments, message, key), ...(needsReview ? { needsReview: true as const } : {}) });
  }

  /** Something worth a person's look that is not a mistake: the spec still loads. */
  warn(segments: readonly Segment[], message: string): void {
    this.warnings.push(this.at(segments, message));
  }

  private at(segments: readonly Segment[], message: string, key?: string): SpecWarning {
    const pos = this.position(segments, key);
    return { file: this.display, line: pos.line, column: pos.col, path: formatPath(segments), message };
  }

  private findDuplicateKeys(node: unknown, segments: Segment[]): void {
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const first = seen.get(name);
        if (first !== undefined) {
          const what =
            segments.at(-1) === "input" || segments.at(-1) === "output" || segments.at(-1) === "members"
              ? "member"
              : "key";
          const pos = this.lines.linePos(pair.key.range![0]);
          this.issues.push({
            file: this.display,
            line: pos.line,
            column: pos.col,
            path: formatPath([...segments, name]),
            message: `duplicate ${what} \`${name}\` (first defined on line ${first}).`,
          });
        } else seen.set(name, this.lines.linePos(pair.key.range![0]).line);
        this.findDuplicateKeys(pair.value, [...segments, name]);
      }
    } else if (isSeq(node))
      node.items.forEach((item, i) => {
        this.findDuplicateKeys(item, [...segments, i]);
      });
  }
}

/** A problem with a file or folder as a whole (it is missing or empty). */
function wholeFile(file: string, message: string): SpecError {
  return new SpecError([{ file: displayPath(file), line: 1, column: 1, path: "", message }]);
}

function yamlMessage(code: string, message: string): string {
  const first = message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  return `this is not valid YAML (${code}): ${first}`;
}

export function formatPath(segments: readonly Segment[]): string {
  let out = "";
  for (const s of segments) out += typeof s === "number" ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

function pointerToSegments(pointer: string): Segment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Levenshtein distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? ` Did you mean \`${best}\`?` : "";
}

function schemaSentence(e: ErrorObject): { message: string; key?: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { message: `the required key \`${String(p.missingProperty)}\` is missing.` };
    case "additionalProperties": {
      const allowed = Object.keys(((e.parentSchema as { properties?: object })?.properties ?? {}) as object);
      const key = String(p.additionalProperty);
      return {
        key,
        message: `unknown key \`${key}\`.${didYouMean(key, allowed)} Allowed keys: ${allowed.join(", ")}.`,
      };
    }
    case "type":
      return { message: `must be ${article(String(p.type))}.` };
    case "enum":
      return { message: `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}.` };
    case "pattern": {
      const hints: Record<string, string> = {
        "^[A-Z][A-Za-z0-9]*$": "a name in UpperCamelCase (letters and digits)",
        "^[A-Za-z][A-Za-z0-9_]*$": "a member name (letters, digits, underscores)",
        "^https://": "an https:// address",
      };
      return { message: `must be ${hints[String(p.pattern)] ?? `text matching /${String(p.pattern)}/`}.` };
    }
    case "minProperties":
      return { message: "must not be empty: give `zh`, `en` or both." };
    case "propertyNames":
      return {
        key: String(p.propertyName),
        message: `\`${String(p.propertyName)}\` is not a valid member name: use letters, digits and underscores, starting with a letter.`,
      };
    default:
      return { message: `${e.message ?? "is invalid"}.` };
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: "a mapping (key: value lines)",
    array: "a list (lines starting with `- `)",
    string: "text",
    boolean: "true or false",
    integer: "a whole number",
    number: "a number",
    "string,number,boolean": "a string, number or boolean",
  };
  return names[type] ?? type;
}

let validators: Record<Kind, ReturnType<Ajv2020["compile"]>> | undefined;
async function schemaValidators(): Promise<Record<Kind, ReturnType<Ajv2020["compile"]>>> {
  if (validators) return validators;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  ajv.addSchema(specSchema());
  const id = SPEC_SCHEMA_ID;
  validators = {
    service: ajv.compile({ $ref: `${id}#/$defs/service` }),
    action: ajv.compile({ $ref: `${id}#/$defs/action` }),
    model: ajv.compile({ $ref: `${id}#/$defs/model` }),
    push: ajv.compile({ $ref: `${id}#/$defs/push` }),
  };
  return validators;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : file;
}

async function yamlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/** The validator's view of a member list (for the example checks), from the vocabulary's one conversion. */
export function shapeOf(members: readonly Member[], models: ReadonlyMap<string, Model>): Shape {
  const shape: Record<string, MemberShape> = {};
  for (const m of members) shape[m.name] = memberShapeOf(m, models);
  return shape;
}

export function memberShapeOf(m: Member, models: ReadonlyMap<string, Model>): MemberShape {
  return memberShape(
    memberFacts(m),
    (type) => models.has(type),
    (name) => () => shapeOf(models.get(name)!.members, models),
  );
}

/**
 * The action's `idempotentReason`, which must be a person's: the SDK retries an idempotent action after it may
 * have reached the server, so the decision is not left to an importer's guess.
 */
function reviewedReason(file: SpecFile, raw: Record<string, unknown>): string {
  const reason = raw.idempotentReason as string | undefined;
  if (reason === undefined) {
    file.report(
      ["idempotentReason"],
      "the required key `idempotentReason` is missing: say in one line why repeating the action is harmless (idempotent: true) or not (false).",
      undefined,
    );
    return "";
  }
  if (reason.startsWith(UNREVIEWED))
    file.report(
      ["idempotentReason"],
      `\`idempotent\` has not been reviewed (${reason}): read what a repeated call does, set \`idempotent\`, and replace this line with the reason.`,
      undefined,
      true,
    );
  return reason;
}

/** A spec file with its data once it passed the schema (undefined when it did not, with the problems reported). */
interface CheckedFile {
  readonly file: SpecFile;
  readonly raw: Record<string, unknown> | undefined;
}

/** Reads a file and checks it against its kind's schema, reporting each schema error once. */
async function readChecked(root: string, relative: string, kind: Kind): Promise<CheckedFile> {
  const full = path.join(root, relative);
  const file = new SpecFile(displayPath(full), relative, await readFile(full, "utf8"));
  if (file.issues.length) return { file, raw: undefined };
  const validate = (await schemaValidators())[kind];
  const data = file.doc.toJS() as unknown;
  if (validate(data)) return { file, raw: data as Record<string, unknown> };
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    if (e.keyword === "if" || e.keyword === "$ref") continue;
    if ((e as { propertyName?: string }).propertyName !== undefined) continue; // said by its propertyNames error
    const segments = pointerToSegments(e.instancePath);
    const { message, key } = schemaSentence(e);
    const id = `${formatPath(segments)}|${key ?? ""}|${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    file.report(key ? [...segments, key] : segments, message, undefined);
  }
  return { file, raw: undefined };
}

/** service.yaml, every model, action and push file, each read and schema-checked. */
async function readSpecFiles(
  root: string,
): Promise<{ service: CheckedFile; models: CheckedFile[]; actions: CheckedFile[]; pushes: CheckedFile[] }> {
  let service: CheckedFile;
  try {
    service = await readChecked(root, "service.yaml", "service");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    throw wholeFile(
      path.join(root, "service.yaml"),
      "the service file is missing; every spec folder needs service.yaml.",
    );
  }
  const models: CheckedFile[] = [];
  for (const f of await yamlFiles(path.join(root, "models")))
    models.push(await readChecked(root, `models/${f}`, "model"));
  const actions: CheckedFile[] = [];
  for (const f of await yamlFiles(path.join(root, "actions")))
    actions.push(await readChecked(root, `actions/${f}`, "action"));
  const pushes: CheckedFile[] = [];
  for (const f of await yamlFiles(path.join(root, "pushes")))
    pushes.push(await readChecked(root, `pushes/${f}`, "push"));
  return { service, models, actions, pushes };
}

/** A file is named after what it defines: `key` (`model`, `action` or `push`) must equal the file's base name. */
function checkNamedAfterFile(file: SpecFile, key: "model" | "action" | "push", name: string): void {
  const expected = path.basename(file.relative).replace(/\.ya?ml$/, "");
  if (name !== expected)
    file.report(
      [key],
      `the ${key} is called \`${name}\` but the file is ${expected}.yaml; name the file after the ${key}.`,
    );
}

/** Resolves a member's type against the scalars and the models, or reports it (with a did-you-mean). */
function resolveType(
  file: SpecFile,
  r: RawMember,
  here: Segment[],
  modelNames: ReadonlySet<string>,
): Member["type"] | undefined {
  if (isScalarType(r.type)) return { kind: "scalar", name: r.type };
  if (modelNames.has(r.type)) return { kind: "model", name: r.type };
  const models = [...modelNames].sort();
  file.report(
    [...here, "type"],
    `unknown type \`${r.type}\`.${didYouMean(r.type, [...SCALAR_TYPES, ...models])} Use string, int64, uint64, float, bool or a model defined in models/${models.length ? ` (${models.join(", ")})` : ""}; for a list add \`list: true\`.`,
  );
  return undefined;
}

/** Enum values fit the member's type and are unique. */
function checkEnum(file: SpecFile, r: RawMember, type: Member["type"], here: Segment[]): void {
  if (!r.enum) return;
  if (type.kind === "model") file.report([...here, "enum"], "a model member cannot have an enum.");
  const values = new Set<string>();
  r.enum.forEach((e, i) => {
    if (!enumValueFits(type.name, e.value) && type.kind === "scalar")
      file.report(
        [...here, "enum", i, "value"],
        `enum value ${JSON.stringify(e.value)} does not fit the member type ${type.name}${type.name === "string" ? " (quote it)" : typeof e.value === "string" ? " (write it without quotes)" : ""}.`,
      );
    if (values.has(JSON.stringify(e.value)))
      file.report([...here, "enum", i, "value"], `enum value ${JSON.stringify(e.value)} is listed twice.`);
    values.add(JSON.stringify(e.value));
  });
}

/**
 * The member's constraints, each checked to apply to it (the vocabulary says where each does); a pattern must also
 * compile. Returns the constraints that stand.
 */
function checkConstraints(file: SpecFile, r: RawMember, type: Member["type"], here: Segment[]): ConstraintValues {
  let pattern = r.pattern;
  if (pattern !== undefined) {
    if (type.name !== "string")
      file.report([...here, "pattern"], `a pattern only applies to string members, and this one is ${type.name}.`);
    else
      try {
        new RegExp(pattern, "u");
      } catch (e) {
        file.report([...here, "pattern"], `the pattern is not a valid regular expression: ${(e as Error).message}.`);
        pattern = undefined;
      }
  }
  for (const k of CONSTRAINT_NAMES)
    if (r[k] !== undefined && k !== "pattern" && !applies(k, r)) file.report([...here, k], doesNotApply(k, r));
  return constraintsOf({ ...r, pattern });
}

/**
 * The members of an action's input or output, or of a model (`where`; a model may serve both, so `nullable` is
 * allowed there), resolved and checked, sorted by name.
 */
function resolveMembers(
  file: SpecFile,
  raw: Record<string, RawMember>,
  at: Segment[],
  where: "input" | "output" | "model",
  modelNames: ReadonlySet<string>,
): Member[] {
  const members: Member[] = [];
  for (const [name, r] of Object.entries(raw)) {
    const here = [...at, name];
    const type = resolveType(file, r, here, modelNames);
    if (!type) continue;
    checkEnum(file, r, type, here);
    const constraints = checkConstraints(file, r, type, here);
    if (r.nullable && where === "input")
      file.report(
        [...here, "nullable"],
        "`nullable` does not apply to input members; it says the server may return null.",
      );
    members.push({
      name,
      type,
      list: r.list ?? false,
      required: r.required ?? false,
      nullable: r.nullable ?? false,
      deprecated: r.deprecated ?? false,
      description: r.description,
      ...(r.example !== undefined ? { example: r.example } : {}),
      ...(r.enum ? { enum: r.enum } : {}),
      ...constraints,
      ...(r.from !== undefined ? { from: r.from } : {}),
    });
  }
  if (where === "output" && raw.RequestId)
    file.report([...at, "RequestId"], "RequestId is added to every output by the generator; remove it here.");
  return members.sort(byName);
}

/** Error codes are unique; returned sorted by code. */
function checkErrorCodes(file: SpecFile, list: ErrorCode[], at: Segment[]): ErrorCode[] {
  const seen = new Set<string>();
  list.forEach((e, i) => {
    if (seen.has(e.code)) file.report([...at, i, "code"], `error code \`${e.code}\` is listed twice.`);
    seen.add(e.code);
  });
  return [...list].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Each member's example satisfies the member's own rules. */
function checkMemberExamples(
  file: SpecFile,
  members: readonly Member[],
  at: Segment[],
  models: ReadonlyMap<string, Model>,
): void {
  for (const m of members) {
    if (m.example === undefined) continue;
    const single = { [m.name]: { ...memberShapeOf(m, models), required: true as const } };
    for (const v of validate(single, { [m.name]: m.example }))
      file.report([...at, m.name, "example"], `the example does not fit the member: ${v.message}.`);
  }
}

/** The YAML path of a validator's path (`DetailList[0].CallType`) under `at`. */
function segmentsOf(at: Segment[], validatorPath: string): Segment[] {
  return [
    ...at,
    ...validatorPath
      .split(/\.|\[(\d+)\]/)
      .filter(Boolean)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
  ];
}

/**
 * Each example's request satisfies the input (or is marked `invalid` and really breaks it), and its response only
 * uses output members.
 */
function checkExamples(
  file: SpecFile,
  action: string,
  examples: readonly Example[],
  input: Shape,
  output: readonly Member[],
): void {
  const outputNames = new Set(["RequestId", ...output.map((m) => m.name)]);
  examples.forEach((ex, i) => {
    const violations = validate(input, ex.request);
    if (ex.invalid !== undefined) {
      // A documented bad example: kept for the record, never shown as an example, and it must really be bad.
      if (violations.length === 0)
        file.report(
          ["examples", i, "invalid"],
          "the example is marked invalid but its request satisfies the input; remove `invalid`.",
        );
    } else
      for (const v of violations)
        file.report(
          segmentsOf(["examples", i, "request"], v.path),
          `the example request breaks the input: ${v.message}. If the official example is wrong, keep it with \`invalid: <why>\`.`,
        );
    for (const key of Object.keys(ex.response))
      if (!outputNames.has(key))
        file.report(["examples", i, "response", key], `\`${key}\` is not an output member of ${action}.`);
  });
}

function buildModel(
  { file, raw }: CheckedFile & { raw: Record<string, unknown> },
  modelNames: ReadonlySet<string>,
): Model {
  return {
    name: String(raw.model),
    description: raw.description as Text,
    members: resolveMembers(file, raw.members as Record<string, RawMember>, ["members"], "model", modelNames),
    source: file.relative,
    ...(typeof raw.from === "string" ? { from: raw.from } : {}),
  };
}

function buildAction(
  { file, raw }: CheckedFile & { raw: Record<string, unknown> },
  modelNames: ReadonlySet<string>,
  models: ReadonlyMap<string, Model>,
): Action {
  const name = String(raw.action);
  checkNamedAfterFile(file, "action", name);
  const input = resolveMembers(file, raw.input as Record<string, RawMember>, ["input"], "input", modelNames);
  const output = resolveMembers(file, raw.output as Record<string, RawMember>, ["output"], "output", modelNames);
  checkMemberExamples(file, input, ["input"], models);
  const examples = (raw.examples as Example[] | undefined) ?? [];
  // Examples are checked against resolved members only: with a broken member the messages would mislead.
  if (!file.issues.length) checkExamples(file, name, examples, shapeOf(input, models), output);
  const members = { input, output, models };
  const paginator = checkPaginator(file, raw.paginator, members);
  return {
    name,
    methodName: name.charAt(0).toLowerCase() + name.slice(1),
    title: raw.title as Text,
    description: raw.description as Text,
    ...(raw.docs ? { docs: raw.docs as Text } : {}),
    ...(raw.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: raw.rateLimitPerSecond as number } : {}),
    idempotent: raw.idempotent as boolean,
    idempotentReason: reviewedReason(file, raw),
    deprecated: (raw.deprecated as boolean | undefined) ?? false,
    notes: (raw.notes as string[] | undefined) ?? [],
    input,
    output,
    errors: checkErrorCodes(file, raw.errors as ErrorCode[], ["errors"]),
    examples,
    ...(paginator ? { paginator } : {}),
    waiters: checkWaiters(file, raw.waiters, members),
    source: file.relative,
  };
}

/** A push member as a push file writes it: a member, and whether CCC may write this string as a JSON number. */
type RawPushMember = RawMember & { numberAsString?: true };

/** The members a push carries from its `model`: the model's, none required (a model says what an answer holds). */
function modelMembersOfPush(
  file: SpecFile,
  raw: Record<string, unknown>,
  models: ReadonlyMap<string, Model>,
): readonly Member[] {
  const name = raw.model as string | undefined;
  if (name === undefined) return [];
  const model = models.get(name);
  if (!model) {
    const names = [...models.keys()].sort();
    file.report(
      ["model"],
      `unknown model \`${name}\`.${didYouMean(name, names)} Name a model defined in models/${names.length ? ` (${names.join(", ")})` : ""}.`,
    );
    return [];
  }
  return model.members.map((m) => ({ ...m, required: false }));
}

/** The own string members CCC may write as a number; `numberAsString` on any other member is reported. */
function numberAsStringMembers(file: SpecFile, raw: Record<string, RawPushMember>): string[] {
  const names: string[] = [];
  for (const [name, r] of Object.entries(raw)) {
    if (!r.numberAsString) continue;
    if (r.type !== "string" || r.list)
      file.report(
        ["members", name, "numberAsString"],
        `\`numberAsString\` only applies to a string member (not a list), and this one is ${r.list ? "a list of " : ""}${r.type}.`,
      );
    else names.push(name);
  }
  return names.sort();
}

/**
 * The push's example satisfies its members (a number standing for a `numberAsString` member counts as its digits;
 * members of its models may be left out) and uses no member the push does not declare.
 */
function checkPushExample(
  file: SpecFile,
  example: Record<string, unknown>,
  members: readonly Member[],
  numberAsString: readonly string[],
  models: ReadonlyMap<string, Model>,
): void {
  const value: Record<string, unknown> = { ...example };
  for (const name of numberAsString) if (typeof value[name] === "number") value[name] = String(value[name]);
  // A model's `required` says what an API answer holds; a push may leave members of its models out.
  for (const v of validate(shapeOf(members, models), value).filter((v) => !isModelRequired(v)))
    file.report(
      segmentsOf(["example"], v.path),
      v.rule === "unknown"
        ? `\`${v.path}\` is not a member of the push: declare it under \`members\`, or fix the name.`
        : `the example breaks the push's members: ${v.message}.`,
    );
}

function buildPush(
  { file, raw }: CheckedFile & { raw: Record<string, unknown> },
  modelNames: ReadonlySet<string>,
  models: ReadonlyMap<string, Model>,
): Push {
  const name = String(raw.push);
  checkNamedAfterFile(file, "push", name);
  if (raw.members === undefined && raw.model === undefined)
    file.report([], "a push needs `members`, a `model` whose members it carries, or both.");
  if (modelNames.has(`${name}Push`))
    file.report(["push"], `the push's type would be \`${name}Push\`, which is the name of a model; rename the push.`);
  const rawMembers = (raw.members as Record<string, RawPushMember> | undefined) ?? {};
  const own = resolveMembers(file, rawMembers, ["members"], "model", modelNames);
  checkMemberExamples(file, own, ["members"], models);
  const fromModel = modelMembersOfPush(file, raw, models);
  for (const m of own)
    if (fromModel.some((f) => f.name === m.name))
      file.report(
        ["members", m.name],
        `\`${m.name}\` is a member of the model ${String(raw.model)} already; remove it here.`,
        undefined,
      );
  const members = [...own, ...fromModel.filter((f) => !own.some((m) => m.name === f.name))].sort(byName);
  const numberAsString = numberAsStringMembers(file, rawMembers);
  const example = raw.example as Record<string, unknown>;
  if (!file.issues.length) checkPushExample(file, example, members, numberAsString, models);
  return {
    name,
    action: String(raw.action),
    ...(raw.version !== undefined ? { version: String(raw.version) } : {}),
    title: raw.title as Text,
    description: raw.description as Text,
    ...(raw.docs ? { docs: raw.docs as Text } : {}),
    notes: (raw.notes as string[] | undefined) ?? [],
    ...(raw.model !== undefined ? { model: String(raw.model) } : {}),
    members,
    numberAsString,
    example,
    source: file.relative,
  };
}

/** No two pushes share an `action`: it is what tells CCC's pushes apart. */
function checkPushActions(pushFiles: readonly SpecFile[], pushes: readonly Push[]): void {
  const seen = new Map<string, string>();
  pushes.forEach((push, i) => {
    const other = seen.get(push.action);
    if (other) pushFiles[i]!.report(["action"], `the push ${other} has the action \`${push.action}\` already.`);
    seen.set(push.action, push.name);
  });
}

/**
 * What only the whole spec can tell of the waiters: an `error` acceptor's code is one the action may answer (its
 * own or a common one), and no two waiters share a name (each is a client method).
 */
function checkWaitersAcrossActions(
  actionFiles: readonly SpecFile[],
  actions: readonly Action[],
  commonErrors: readonly ErrorCode[],
): void {
  const seen = new Map<string, string>();
  actions.forEach((action, i) => {
    const file = actionFiles[i]!;
    const codes = new Set([...action.errors, ...commonErrors].map((e) => e.code));
    for (const waiter of action.waiters) {
      const other = seen.get(waiter.name);
      if (other)
        file.report(
          ["waiters", waiter.name],
          `another waiter of this name polls ${other}: each waiter is a client method, \`waitUntil${waiter.name}\`, so names must differ.`,
        );
      seen.set(waiter.name, action.name);
      waiter.acceptors.forEach((a, j) => {
        if ("error" in a && !codes.has(a.error))
          file.report(
            ["waiters", waiter.name, "acceptors", j, "error"],
            `\`${a.error}\` is neither an error code of ${action.name} nor a common one.`,
          );
      });
    }
  });
}

interface RawGroup {
  readonly id: string;
  readonly title: Text;
  readonly rest?: true;
  readonly actions: readonly string[];
}

/** Without `groups:` in service.yaml, one group holds every action. */
const ALL_ACTIONS: RawGroup = { id: "actions", title: { zh: "接口", en: "Actions" }, rest: true, actions: [] };

/**
 * The index's groups (service.yaml `groups:`): each name is an action's, each action listed once, ids distinct, and
 * exactly one `rest` group, which takes the actions no group lists (by name), so a new action needs no edit here.
 */
function buildGroups(file: SpecFile, raw: readonly RawGroup[] | undefined, actions: readonly Action[]): ActionGroup[] {
  const groups = raw ?? [ALL_ACTIONS];
  const names = actions.map((a) => a.name);
  const known = new Set(names);
  const listed = new Map<string, string>();
  const ids = new Set<string>();
  groups.forEach((g, i) => {
    if (ids.has(g.id)) file.report(["groups", i, "id"], `another group has the id \`${g.id}\` already.`);
    ids.add(g.id);
    g.actions.forEach((name, j) => {
      const other = listed.get(name);
      if (other) file.report(["groups", i, "actions", j], `\`${name}\` is in the group \`${other}\` already.`);
      listed.set(name, g.id);
    });
  });
  const rest = groups.filter((g) => g.rest);
  if (rest.length !== 1)
    file.report(
      ["groups"],
      `exactly one group needs \`rest: true\` (it takes the actions no group lists); ${rest.length} do.`,
    );
  const unlisted = names.filter((n) => !listed.has(n)).sort();
  warnOfAbsentActions(file, groups, known, unlisted);
  return groups.map((g) => ({
    id: g.id,
    title: g.title,
    actions: [...g.actions.filter((a) => known.has(a)), ...(g.rest ? unlisted : [])],
  }));
}

/**
 * A group may list an action the folder lacks: the sources dropped it (an import of older definitions, a replay of
 * their history), and its place is kept for when it returns, as the importer keeps what a person wrote. It is left
 * off the index and named in a warning, with the closest action no group lists, since a misspelt name leaves that
 * one in the rest group. Not an error: an old action can be one edit from a new one's name (a `…V2`).
 */
function warnOfAbsentActions(
  file: SpecFile,
  groups: readonly RawGroup[],
  known: ReadonlySet<string>,
  unlisted: readonly string[],
): void {
  groups.forEach((g, i) => {
    g.actions.forEach((name, j) => {
      if (known.has(name)) return;
      const hint = didYouMean(name, unlisted).replace(/\?$/, ", which no group lists?");
      file.warn(
        ["groups", i, "actions", j],
        `no action \`${name}\` (no actions/${name}.yaml): left off the index, its place kept.${hint}`,
      );
    });
  });
}

const hasRaw = (f: CheckedFile): f is CheckedFile & { raw: Record<string, unknown> } => f.raw !== undefined;

/**
 * Loads and checks every file under `root` (the spec/ folder): read and schema-check the files, resolve the models
 * (their names first, so members can refer to any), then the actions and the pushes. Throws SpecError listing every
 * problem.
 */
export async function loadSpec(root: string): Promise<Service> {
  const files = await readSpecFiles(root);
  const modelFiles = files.models.filter(hasRaw);
  const modelNames = new Set<string>();
  for (const { file, raw } of modelFiles) {
    checkNamedAfterFile(file, "model", String(raw.model));
    modelNames.add(String(raw.model));
  }
  const models = new Map(modelFiles.map((f) => [String(f.raw.model), buildModel(f, modelNames)] as const));
  for (const { file, raw } of modelFiles)
    checkMemberExamples(file, models.get(String(raw.model))!.members, ["members"], models);
  const actionFiles = files.actions.filter(hasRaw);
  const actions = actionFiles.map((f) => buildAction(f, modelNames, models));
  const pushFiles = files.pushes.filter(hasRaw);
  const pushes = pushFiles.map((f) => buildPush(f, modelNames, models));
  checkPushActions(
    pushFiles.map((f) => f.file),
    pushes,
  );

  const rawService = files.service.raw;
  const commonErrors = rawService
    ? checkErrorCodes(files.service.file, rawService.commonErrors as ErrorCode[], ["commonErrors"])
    : [];
  checkWaitersAcrossActions(
    actionFiles.map((f) => f.file),
    actions,
    commonErrors,
  );
  const groups = rawService
    ? buildGroups(files.service.file, rawService.groups as readonly RawGroup[] | undefined, actions)
    : [];
  const checked = [files.service, ...files.models, ...files.actions, ...files.pushes];
  const issues = checked.flatMap((f) => f.file.issues);
  if (issues.length || !rawService) throw new SpecError(issues);
  if (actions.length === 0)
    throw wholeFile(path.join(root, "actions"), "no action specs found; add actions/<Action>.yaml.");

  return {
    name: String(rawService.service),
    version: String(rawService.version),
    title: rawService.title as Text,
    description: rawService.description as Text,
    endpoints: rawService.endpoints as Service["endpoints"],
    ...(rawService.docs ? { docs: rawService.docs as Text } : {}),
    commonErrors,
    actions: actions.sort(byName),
    models: [...models.values()].sort(byName),
    pushes: pushes.sort(byName),
    groups,
    warnings: checked.flatMap((f) => f.file.warnings),
  };
}
