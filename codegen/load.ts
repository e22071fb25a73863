/**
 * Loads spec/ into the intermediate model: parse YAML (keeping positions), check each file against
 * spec/spec.schema.json, then check what a schema cannot (types and models resolve, enum values fit the member
 * type, examples satisfy the members, names match file names). Every problem becomes a SpecIssue with the file,
 * line, column, YAML path and a sentence; all problems of all files are reported together.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { MemberShape, Shape } from "../src/action.js";
import { validate } from "../src/validate.js";
import type { RawMember } from "./import/types.js";
import type { Action, EnumValue, ErrorCode, Example, Member, Model, ScalarType, Service, Text } from "./ir.js";

export interface SpecIssue {
  /** Path of the file as given (relative to the working directory when inside it). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** YAML path, e.g. `input.Disabled.enum[0].value` (empty for the whole file). */
  readonly path: string;
  readonly message: string;
}

export function formatIssue(issue: SpecIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.path ? `${issue.path}: ` : ""}${issue.message}`;
}

export class SpecError extends Error {
  constructor(readonly issues: readonly SpecIssue[]) {
    super(`${issues.length} problem(s) in the spec:\n${issues.map((i) => `  ${formatIssue(i)}`).join("\n")}`);
    this.name = "SpecError";
  }
}

const SCALARS: readonly ScalarType[] = ["string", "int64", "uint64", "float", "bool"];
const SCHEMA_PATH = fileURLToPath(new URL("../spec/spec.schema.json", import.meta.url));

type Segment = string | number;
type Kind = "service" | "action" | "model";

/** One parsed YAML file with what is needed to point at its nodes. */
class SpecFile {
  readonly issues: SpecIssue[] = [];
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

  report(segments: readonly Segment[], message: string, key?: string): void {
    const pos = this.position(segments, key);
    this.issues.push({ file: this.display, line: pos.line, column: pos.col, path: formatPath(segments), message });
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
    } else if (isSeq(node)) node.items.forEach((item, i) => this.findDuplicateKeys(item, [...segments, i]));
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
  ajv.addSchema(JSON.parse(await readFile(SCHEMA_PATH, "utf8")));
  const id = "https://ccc-sdk.invalid/spec.schema.json";
  validators = {
    service: ajv.compile({ $ref: `${id}#/$defs/service` }),
    action: ajv.compile({ $ref: `${id}#/$defs/action` }),
    model: ajv.compile({ $ref: `${id}#/$defs/model` }),
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

/** Builds the validator's view of a member list (shared by example checks and the emitters). */
export function shapeOf(members: readonly Member[], models: ReadonlyMap<string, Model>): Shape {
  const shape: Record<string, MemberShape> = {};
  for (const m of members) shape[m.name] = memberShape(m, models);
  return shape;
}

export function memberShape(m: Member, models: ReadonlyMap<string, Model>): MemberShape {
  const s: { -readonly [K in keyof MemberShape]: MemberShape[K] } = {
    type: m.type.kind === "model" ? "model" : m.type.name,
  };
  if (m.type.kind === "model") {
    const model = models.get(m.type.name)!;
    s.model = () => shapeOf(model.members, models);
  }
  if (m.list) s.list = true;
  if (m.required) s.required = true;
  if (m.enum) s.enum = m.enum.map((e) => e.value);
  for (const k of ["pattern", "minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength"] as const)
    if (m[k] !== undefined) (s as Record<string, unknown>)[k] = m[k];
  if (m.uniqueItems) s.uniqueItems = true;
  return s;
}

/** Loads and checks every file under `root` (the spec/ folder). Throws SpecError listing all problems. */
export async function loadSpec(root: string): Promise<Service> {
  const schema = await schemaValidators();
  const files: SpecFile[] = [];
  const read = async (relative: string) => {
    const full = path.join(root, relative);
    const file = new SpecFile(displayPath(full), relative, await readFile(full, "utf8"));
    files.push(file);
    return file;
  };
  const check = (file: SpecFile, kind: Kind): Record<string, unknown> | undefined => {
    if (file.issues.length) return undefined;
    const data = file.doc.toJS() as unknown;
    if (!schema[kind](data)) {
      const seen = new Set<string>();
      for (const e of schema[kind].errors ?? []) {
        if (e.keyword === "if" || e.keyword === "$ref") continue;
        if ((e as { propertyName?: string }).propertyName !== undefined) continue; // said by its propertyNames error
        const segments = pointerToSegments(e.instancePath);
        const { message, key } = schemaSentence(e);
        const id = `${formatPath(segments)}|${key ?? ""}|${message}`;
        if (seen.has(id)) continue;
        seen.add(id);
        file.report(key ? [...segments, key] : segments, message, undefined);
      }
      return undefined;
    }
    return data as Record<string, unknown>;
  };

  let serviceFile: SpecFile | undefined;
  try {
    serviceFile = await read("service.yaml");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    throw wholeFile(
      path.join(root, "service.yaml"),
      "the service file is missing; every spec folder needs service.yaml.",
    );
  }
  const rawService = check(serviceFile, "service");

  const modelFiles: [SpecFile, Record<string, unknown> | undefined][] = [];
  for (const f of await yamlFiles(path.join(root, "models"))) {
    const file = await read(`models/${f}`);
    modelFiles.push([file, check(file, "model")]);
  }
  const actionFiles: [SpecFile, Record<string, unknown> | undefined][] = [];
  for (const f of await yamlFiles(path.join(root, "actions"))) {
    const file = await read(`actions/${f}`);
    actionFiles.push([file, check(file, "action")]);
  }

  // Names must match file names; collect model names first so members can resolve against them.
  const modelNames = new Set<string>();
  for (const [file, raw] of modelFiles) {
    if (!raw) continue;
    const expected = path.basename(file.relative).replace(/\.ya?ml$/, "");
    if (raw.model !== expected)
      file.report(
        ["model"],
        `the model is called \`${String(raw.model)}\` but the file is ${expected}.yaml; name the file after the model.`,
      );
    modelNames.add(String(raw.model));
  }

  /** `where`: an action's input or output, or a model (which may serve both, so `nullable` is allowed there). */
  const resolveMembers = (
    file: SpecFile,
    raw: Record<string, RawMember>,
    at: Segment[],
    where: "input" | "output" | "model",
  ): Member[] => {
    const members: Member[] = [];
    for (const [name, r] of Object.entries(raw)) {
      const here = [...at, name];
      let type: Member["type"];
      if ((SCALARS as readonly string[]).includes(r.type)) type = { kind: "scalar", name: r.type as ScalarType };
      else if (modelNames.has(r.type)) type = { kind: "model", name: r.type };
      else {
        const known = [...SCALARS, ...[...modelNames].sort()];
        file.report(
          [...here, "type"],
          `unknown type \`${r.type}\`.${didYouMean(r.type, known)} Use string, int64, uint64, float, bool or a model defined in models/${modelNames.size ? ` (${[...modelNames].sort().join(", ")})` : ""}; for a list add \`list: true\`.`,
        );
        continue;
      }
      const typeName = type.name;
      const numeric = typeName === "int64" || typeName === "uint64" || typeName === "float";
      if (r.enum) {
        if (type.kind === "model") file.report([...here, "enum"], "a model member cannot have an enum.");
        const values = new Set<string>();
        r.enum.forEach((e, i) => {
          const ok =
            typeName === "string"
              ? typeof e.value === "string"
              : typeName === "bool"
                ? typeof e.value === "boolean"
                : typeName === "float"
                  ? typeof e.value === "number"
                  : typeof e.value === "number" && Number.isInteger(e.value) && (typeName !== "uint64" || e.value >= 0);
          if (!ok && type.kind === "scalar")
            file.report(
              [...here, "enum", i, "value"],
              `enum value ${JSON.stringify(e.value)} does not fit the member type ${typeName}${typeName === "string" ? " (quote it)" : typeof e.value === "string" ? " (write it without quotes)" : ""}.`,
            );
          if (values.has(JSON.stringify(e.value)))
            file.report([...here, "enum", i, "value"], `enum value ${JSON.stringify(e.value)} is listed twice.`);
          values.add(JSON.stringify(e.value));
        });
      }
      let pattern = r.pattern;
      if (r.pattern !== undefined) {
        if (typeName !== "string")
          file.report([...here, "pattern"], `a pattern only applies to string members, and this one is ${typeName}.`);
        else
          try {
            new RegExp(r.pattern, "u");
          } catch (e) {
            file.report(
              [...here, "pattern"],
              `the pattern is not a valid regular expression: ${(e as Error).message}.`,
            );
            pattern = undefined;
          }
      }
      for (const k of ["minItems", "maxItems", "uniqueItems"] as const)
        if (r[k] !== undefined && !r.list)
          file.report([...here, k], `\`${k}\` only applies to lists; add \`list: true\` or remove it.`);
      for (const k of ["minimum", "maximum"] as const)
        if (r[k] !== undefined && !numeric)
          file.report([...here, k], `\`${k}\` only applies to numeric members, and this one is ${typeName}.`);
      for (const k of ["minLength", "maxLength"] as const)
        if (r[k] !== undefined && typeName !== "string")
          file.report([...here, k], `\`${k}\` only applies to string members, and this one is ${typeName}.`);
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
        ...(pattern !== undefined ? { pattern } : {}),
        ...(r.minItems !== undefined ? { minItems: r.minItems } : {}),
        ...(r.maxItems !== undefined ? { maxItems: r.maxItems } : {}),
        uniqueItems: r.uniqueItems ?? false,
        ...(r.minimum !== undefined ? { minimum: r.minimum } : {}),
        ...(r.maximum !== undefined ? { maximum: r.maximum } : {}),
        ...(r.minLength !== undefined ? { minLength: r.minLength } : {}),
        ...(r.maxLength !== undefined ? { maxLength: r.maxLength } : {}),
      });
    }
    if (where === "output" && raw.RequestId)
      file.report([...at, "RequestId"], "RequestId is added to every output by the generator; remove it here.");
    return members.sort(byName);
  };

  const models = new Map<string, Model>();
  for (const [file, raw] of modelFiles) {
    if (!raw) continue;
    models.set(String(raw.model), {
      name: String(raw.model),
      description: raw.description as Text,
      members: resolveMembers(file, raw.members as Record<string, RawMember>, ["members"], "model"),
      source: file.relative,
    });
  }

  const checkErrors = (file: SpecFile, list: ErrorCode[], at: Segment[]): ErrorCode[] => {
    const seen = new Set<string>();
    list.forEach((e, i) => {
      if (seen.has(e.code)) file.report([...at, i, "code"], `error code \`${e.code}\` is listed twice.`);
      seen.add(e.code);
    });
    return [...list].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  };

  // Examples of members: each must satisfy the member's own rules.
  const checkMemberExamples = (file: SpecFile, members: readonly Member[], at: Segment[]) => {
    for (const m of members) {
      if (m.example === undefined) continue;
      const single = { [m.name]: { ...memberShape(m, models), required: true as const } };
      for (const v of validate(single, { [m.name]: m.example }))
        file.report([...at, m.name, "example"], `the example does not fit the member: ${v.message}.`);
    }
  };
  for (const [file, raw] of modelFiles)
    if (raw && models.has(String(raw.model)))
      checkMemberExamples(file, models.get(String(raw.model))!.members, ["members"]);

  const actions: Action[] = [];
  for (const [file, raw] of actionFiles) {
    if (!raw) continue;
    const name = String(raw.action);
    const expected = path.basename(file.relative).replace(/\.ya?ml$/, "");
    if (name !== expected)
      file.report(
        ["action"],
        `the action is called \`${name}\` but the file is ${expected}.yaml; name the file after the action.`,
      );
    const input = resolveMembers(file, raw.input as Record<string, RawMember>, ["input"], "input");
    const output = resolveMembers(file, raw.output as Record<string, RawMember>, ["output"], "output");
    checkMemberExamples(file, input, ["input"]);
    const examples = (raw.examples as Example[] | undefined) ?? [];
    if (!file.issues.length) {
      const inputShape = shapeOf(input, models);
      examples.forEach((ex, i) => {
        const violations = validate(inputShape, ex.request);
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
              [
                "examples",
                i,
                "request",
                ...v.path
                  .split(/\.|\[(\d+)\]/)
                  .filter(Boolean)
                  .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
              ],
              `the example request breaks the input: ${v.message}. If the official example is wrong, keep it with \`invalid: <why>\`.`,
            );
        const outputNames = new Set(["RequestId", ...output.map((m) => m.name)]);
        for (const key of Object.keys(ex.response))
          if (!outputNames.has(key))
            file.report(["examples", i, "response", key], `\`${key}\` is not an output member of ${name}.`);
      });
    }
    actions.push({
      name,
      methodName: name.charAt(0).toLowerCase() + name.slice(1),
      title: raw.title as Text,
      description: raw.description as Text,
      ...(raw.docs ? { docs: raw.docs as Text } : {}),
      ...(raw.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: raw.rateLimitPerSecond as number } : {}),
      idempotent: raw.idempotent as boolean,
      deprecated: (raw.deprecated as boolean | undefined) ?? false,
      notes: (raw.notes as string[] | undefined) ?? [],
      input,
      output,
      errors: checkErrors(file, raw.errors as ErrorCode[], ["errors"]),
      examples,
      source: file.relative,
    });
  }

  const commonErrors = rawService
    ? checkErrors(serviceFile, rawService.commonErrors as ErrorCode[], ["commonErrors"])
    : [];
  const issues = files.flatMap((f) => f.issues);
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
  };
}
