/**
 * The official Node.js SDK's model declarations as a further source: `tencentcloud-sdk-nodejs`'s
 * `tencentcloud/services/ccc/v20200210/ccc_models.d.ts` (`export interface X { /** 中文描述 *\/ Member?: type }`).
 * Tencent regenerates the SDK from its newest definition, so it may name models and members that the api.json the
 * spec was imported from lacks. This module reads the file (`readSdkModels`, `parseSdkModels`), lists what it
 * says differently from spec/ (`diffSdk`, `formatSdkDiff`) and proposes raw specs for what spec/ lacks
 * (`sdkSpecs`), each with its source. It reads and proposes; it writes nothing (the CLI and the importer do).
 *
 * How the file is read:
 *
 * - Actions and models. An `XRequest` interface with an `XResponse` twin is action X (the SDK client's method list,
 *   ccc_client.d.ts, can be given instead: `readSdkClientActions`); every other interface is a model. A Response's
 *   `RequestId` is dropped: the spec never declares it (the generator adds it).
 * - Types (`mapSdkType`). `string` → string; `boolean` → bool; `number`, and `number | bigint` (how the SDK
 *   writes the items of every list of integers), → `number`, which stands for int64, uint64 or float: the SDK has one type for all
 *   three, so `number` never differs from any of them, and a proposed member takes the numeric type the spec gives
 *   every other member of that name, else int64; each such choice is reported. `Array<T>` and `T[]` → a list of
 *   T; the name of a model interface → that model. Anything else (another keyword, a literal, a union, a list of
 *   lists, an unknown name, an action's Request or Response used as a type) is an `SdkProblem` naming the
 *   interface, the member and the type text: a guessed type would make the client refuse valid input.
 * - Texts. The JSDoc description is HTML, like api.json's `document`, and goes through the api.json importer's
 *   `cleanText`; the boilerplate "注意：此字段可能返回 null，表示取不到有效值。" is taken out of it and becomes the
 *   `nullable` hint. A `@deprecated` tag is the SDK's mark for what api.json calls `disabled` (`hidden`); a member
 *   is `deprecated` when hidden or when its text says so (apijson.ts's DEPRECATED), the importer's two rules.
 *   Other JSDoc tags carry nothing and are dropped. The SDK has Chinese only: proposals have no `en`.
 * - Optionality. A Request member without `?` must be sent (`required`, unless hidden). A Response marks every
 *   member optional whatever the server does, so output optionality cannot be read from the SDK: it is never
 *   compared (not a difference) and never proposed (a proposed output member has no `required`). Model members
 *   follow api.json's `required`: that is the spec's rule for models some input reaches, so there they are
 *   compared and proposed; in models only answers reach the spec follows `output_required` instead, so there
 *   they are neither.
 *
 * What `diffSdk` reports (`SdkDifference`, sorted by path): actions and models only one side has, members only one
 * side has (action inputs and outputs, models), and for a member both have: type (`number` against a non-numeric
 * type, a string against a model, …), list-ness, `required` where it can be read (above), `nullable` on outputs
 * and in models answers reach, and `deprecated`. zh descriptions only when asked (`{ descriptions: true }`): the
 * SDK often carries a newer text (new enum values), which is worth a look but not a change of the API.
 *
 * Provenance. The spec format has no field for where a fact came from (a member's keys are the vocabulary's,
 * closed by the schema; YAML comments are not data). So every proposal carries its `source` beside it, and a
 * suggested line for the owning action's or model's `notes`, which the format already has.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Node, Project, SyntaxKind, type InterfaceDeclaration, type PropertySignature, type TypeNode } from "ts-morph";
import type { Member, Model, Service } from "../ir.js";
import { cleanText, DEPRECATED } from "./apijson.js";
import type { RawMember, RawModelSpec, RawText } from "./types.js";

// ---------------------------------------------------------------------------------------------------------------
// What the file says

/** The SDK's type for int64, uint64 and float alike. */
export const SDK_NUMBER = "number";

export interface SdkMember {
  readonly name: string;
  /** The TypeScript type as written: `Array<number | bigint>`. */
  readonly typeText: string;
  /** `string`, `bool`, `number` (SDK_NUMBER) or a model's name; undefined when it maps to none (see problems). */
  readonly type?: string;
  readonly list: boolean;
  /** Written with `?`. Says something only of Request members and models inputs reach (module comment). */
  readonly optional: boolean;
  /** Plain text (zh), without the null boilerplate; undefined when the JSDoc says nothing. */
  readonly description?: string;
  /** The description says "此字段可能返回 null". */
  readonly nullable: boolean;
  /** A `@deprecated` tag: Tencent hides the member (api.json's `disabled`). */
  readonly hidden: boolean;
  /** Hidden, or its description says it is deprecated (废弃). */
  readonly deprecated: boolean;
  /** 1-based line in the file. */
  readonly line: number;
}

export interface SdkInterface {
  readonly name: string;
  readonly description?: string;
  readonly members: readonly SdkMember[];
  readonly line: number;
}

export interface SdkAction {
  readonly name: string;
  readonly request: SdkInterface;
  /** Without `RequestId`. */
  readonly response: SdkInterface;
}

/** Something of the file the rules cannot map; names where it is. */
export interface SdkProblem {
  readonly interface: string;
  readonly member?: string;
  readonly typeText?: string;
  readonly line: number;
  readonly message: string;
}

export interface SdkDefinition {
  /** Where it came from, for provenance: `tencentcloud-sdk-nodejs@4.1.313 ccc_models.d.ts`. */
  readonly source: string;
  /** Sorted by name. */
  readonly actions: readonly SdkAction[];
  /** Sorted by name. */
  readonly models: readonly SdkInterface[];
  /** In the file's order. */
  readonly problems: readonly SdkProblem[];
}

export interface ParseOptions {
  /** The provenance label (see `sdkSourceLabel`). */
  readonly source: string;
  /** The file name ts-morph is given; `ccc_models.d.ts` if not given. */
  readonly fileName?: string;
  /**
   * The action names, e.g. from `readSdkClientActions`; without them an `XRequest` with an `XResponse` twin is
   * action X. A listed action lacking either interface is a problem.
   */
  readonly actionNames?: readonly string[];
}

export interface ReadOptions {
  /** The provenance label; by default `sdkSourceLabel(file)`. */
  readonly source?: string;
  /** ccc_client.d.ts, to take the action names from the client's methods instead of the pairing rule. */
  readonly clientFile?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/** Reads a `ccc_models.d.ts` (and, when given, the client's action list): see the module comment for the rules. */
export async function readSdkModels(file: string, options: ReadOptions = {}): Promise<SdkDefinition> {
  const [text, source, actionNames] = await Promise.all([
    readFile(file, "utf8"),
    options.source ?? sdkSourceLabel(file),
    options.clientFile ? readFile(options.clientFile, "utf8").then(readSdkClientActions) : undefined,
  ]);
  return parseSdkModels(text, { source, fileName: path.basename(file), ...(actionNames ? { actionNames } : {}) });
}

/** `readSdkModels` on the text of a ccc_models.d.ts. */
export function parseSdkModels(text: string, options: ParseOptions): SdkDefinition {
  const problems: SdkProblem[] = [];
  const interfaces = declaredInterfaces(text, options.fileName ?? "ccc_models.d.ts", problems);
  const split = splitActions(interfaces, options.actionNames, problems);
  const modelNames = new Set(split.models.map((m) => m.name));
  const typed = (i: RawInterface): SdkInterface => typedInterface(i, modelNames, problems);
  const actions = split.actions.map((a) => ({
    name: a.name,
    request: typed(a.request),
    response: typed({ ...a.response, members: a.response.members.filter((m) => m.name !== "RequestId") }),
  }));
  return {
    source: options.source,
    actions: actions.sort(byName),
    models: split.models.map(typed).sort(byName),
    problems: problems.sort((a, b) => a.line - b.line),
  };
}

/** The action names of a ccc_client.d.ts: each method of a class whose parameter is its `XRequest`. */
export function readSdkClientActions(text: string): string[] {
  const file = syntaxOnlyProject().createSourceFile("ccc_client.d.ts", text);
  const names: string[] = [];
  for (const cls of file.getClasses())
    for (const method of cls.getMethods()) {
      const param = method.getParameters()[0]?.getTypeNode()?.getText();
      if (param === `${method.getName()}Request`) names.push(method.getName());
    }
  return names.sort();
}

/**
 * `tencentcloud-sdk-nodejs@<version> ccc_models.d.ts` when the file is in an installed Tencent SDK package (the
 * nearest package.json above it is one: `tencentcloud-sdk-nodejs` or a per-product `tencentcloud-sdk-nodejs-ccc`),
 * else the file's name alone: a vendored copy's nearest package.json is its repository's, which says nothing of
 * where the file came from (its README does; pass `source`).
 */
export async function sdkSourceLabel(file: string): Promise<string> {
  const base = path.basename(file);
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const pkg = await readPackage(path.join(dir, "package.json"));
    if (pkg) return pkg.name?.startsWith(SDK_PACKAGE) ? `${pkg.name}@${pkg.version ?? "?"} ${base}` : base;
    if (path.dirname(dir) === dir) return base;
  }
}

/** The name Tencent's Node.js SDK packages start with. */
const SDK_PACKAGE = "tencentcloud-sdk-nodejs";

async function readPackage(file: string): Promise<{ name?: string; version?: string } | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as { name?: string; version?: string };
  } catch {
    return undefined; // no (readable) package.json here: the caller looks further up
  }
}

/** Syntax only: no lib files, no type checker (members' types are read from their type nodes). */
function syntaxOnlyProject(): Project {
  return new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
}

/** An interface as declared, its members' types still type nodes (mapped once all model names are known). */
interface RawInterface {
  readonly name: string;
  readonly description?: string;
  readonly line: number;
  readonly members: readonly RawProperty[];
}

interface RawProperty extends Omit<SdkMember, "typeText" | "type" | "list"> {
  readonly typeNode?: TypeNode;
}

function declaredInterfaces(text: string, fileName: string, problems: SdkProblem[]): RawInterface[] {
  const file = syntaxOnlyProject().createSourceFile(fileName, text);
  return file
    .getInterfaces()
    .filter((i) => i.isExported())
    .map((i) => {
      problems.push(...unreadParts(i));
      const { description } = jsDocText(i);
      return {
        name: i.getName(),
        ...(description !== undefined ? { description } : {}),
        line: i.getStartLineNumber(),
        members: i.getProperties().map(rawProperty),
      };
    });
}

/**
 * What an interface says besides properties (the SDK's generator writes none): inherited members, methods,
 * index and call signatures would otherwise be lost without a word.
 */
function unreadParts(i: InterfaceDeclaration): SdkProblem[] {
  const parts = [
    ...i.getExtends().map((e) => `extends ${e.getText()}`),
    ...[...i.getMethods(), ...i.getIndexSignatures(), ...i.getCallSignatures(), ...i.getConstructSignatures()].map(
      (m) => m.getText(),
    ),
  ];
  return parts.map((part) => ({
    interface: i.getName(),
    line: i.getStartLineNumber(),
    message: `${i.getName()}: \`${part}\` is not read (only properties are)`,
  }));
}

function rawProperty(p: PropertySignature): RawProperty {
  const doc = jsDocText(p);
  const typeNode = p.getTypeNode();
  return {
    name: p.getName(),
    ...(typeNode ? { typeNode } : {}),
    optional: p.hasQuestionToken(),
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    nullable: doc.nullable,
    hidden: doc.hidden,
    deprecated: doc.hidden || (doc.description !== undefined && DEPRECATED.test(doc.description)),
    line: p.getStartLineNumber(),
  };
}

/** Says the server may answer `null` (cleanText removes the whole sentence; this only detects it). */
const NULL_NOTE = /注意：\s*此字段可能返回\s*null/;

/** The JSDoc of a declaration: its description as spec text, the null note, a `@deprecated` tag. */
function jsDocText(node: InterfaceDeclaration | PropertySignature): {
  description?: string;
  nullable: boolean;
  hidden: boolean;
} {
  const docs = node.getJsDocs();
  const raw = unindent(docs.map((d) => d.getDescription()).join("\n"));
  const description = cleanText(raw, true);
  return {
    ...(description !== undefined ? { description } : {}),
    nullable: NULL_NOTE.test(raw),
    hidden: docs.some((d) => d.getTags().some((t) => t.getTagName() === "deprecated")),
  };
}

/**
 * The SDK writes continuation lines of a description indented and without `*` ("\n  注意：…"): the indentation
 * is its generator's, not the text's (descriptions that need structure carry it as HTML), so it goes.
 */
function unindent(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trim())
    .join("\n");
}

interface RawAction {
  readonly name: string;
  readonly request: RawInterface;
  readonly response: RawInterface;
}

/** Pairs `XRequest` with `XResponse` into actions (by `actionNames` when given); the rest are models. */
function splitActions(
  interfaces: readonly RawInterface[],
  actionNames: readonly string[] | undefined,
  problems: SdkProblem[],
): { actions: RawAction[]; models: RawInterface[] } {
  const byName = new Map(interfaces.map((i) => [i.name, i]));
  const actions: RawAction[] = [];
  const taken = new Set<string>();
  for (const name of actionNames ?? pairedActionNames(byName)) {
    const request = byName.get(`${name}Request`);
    const response = byName.get(`${name}Response`);
    if (request && response) {
      actions.push({ name, request, response });
      taken.add(request.name).add(response.name);
    } else {
      const lacking = request ? "Response" : "Request";
      problems.push({
        interface: `${name}${lacking}`,
        line: (request ?? response)?.line ?? 0,
        message: `the client has an action ${name}, but the models file has no ${name}${lacking}`,
      });
    }
  }
  return { actions, models: interfaces.filter((i) => !taken.has(i.name)) };
}

function pairedActionNames(byName: ReadonlyMap<string, RawInterface>): string[] {
  const suffix = "Request";
  return [...byName.keys()]
    .filter((n) => n.endsWith(suffix) && byName.has(`${n.slice(0, -suffix.length)}Response`))
    .map((n) => n.slice(0, -suffix.length));
}

function typedInterface(i: RawInterface, modelNames: ReadonlySet<string>, problems: SdkProblem[]): SdkInterface {
  const members = i.members.map(({ typeNode, ...facts }): SdkMember => {
    const typeText = typeNode?.getText() ?? "";
    const mapped = typeNode ? mapSdkType(typeNode, modelNames) : { error: "it has no type" };
    if ("type" in mapped) return { ...facts, typeText, ...mapped };
    problems.push({
      interface: i.name,
      member: facts.name,
      typeText,
      line: facts.line,
      message: `${i.name}.${facts.name}: ${mapped.error} (type \`${typeText}\`)`,
    });
    return { ...facts, typeText, list: false };
  });
  return {
    name: i.name,
    ...(i.description !== undefined ? { description: i.description } : {}),
    line: i.line,
    members,
  };
}

/** A member's type node as the spec's type (`number` for any numeric type), or why it has none. */
function mapSdkType(
  node: TypeNode,
  modelNames: ReadonlySet<string>,
): { type: string; list: boolean } | { error: string } {
  const item = listItem(node);
  if (item && listItem(item)) return { error: "a list of lists, which the spec cannot describe" };
  const t = itemType(item ?? node, modelNames);
  return "error" in t ? t : { type: t.type, list: item !== undefined };
}

/** `Array<T>` or `T[]` → T; anything else → undefined. */
function listItem(node: TypeNode): TypeNode | undefined {
  if (Node.isArrayTypeNode(node)) return node.getElementTypeNode();
  if (Node.isTypeReference(node) && node.getTypeName().getText() === "Array") {
    const args = node.getTypeArguments();
    return args.length === 1 ? args[0] : undefined;
  }
  return undefined;
}

function itemType(node: TypeNode, modelNames: ReadonlySet<string>): { type: string } | { error: string } {
  switch (node.getKind()) {
    case SyntaxKind.StringKeyword:
      return { type: "string" };
    case SyntaxKind.BooleanKeyword:
      return { type: "bool" };
    case SyntaxKind.NumberKeyword:
      return { type: SDK_NUMBER };
  }
  if (Node.isParenthesizedTypeNode(node)) return itemType(node.getTypeNode(), modelNames);
  if (Node.isUnionTypeNode(node) && isNumberOrBigint(node.getTypeNodes())) return { type: SDK_NUMBER };
  if (Node.isTypeReference(node) && node.getTypeArguments().length === 0) {
    const name = node.getTypeName().getText();
    return modelNames.has(name) ? { type: name } : { error: `\`${name}\` is no model interface of the file` };
  }
  return { error: "not a type the rules map (string, number, boolean, a model, a list of one of these)" };
}

/** `number | bigint`: the SDK's item type of lists of integers (int64 and uint64 alike). */
function isNumberOrBigint(parts: readonly TypeNode[]): boolean {
  const kinds = parts.map((p) => p.getKind());
  return (
    kinds.includes(SyntaxKind.NumberKeyword) &&
    kinds.every((k) => k === SyntaxKind.NumberKeyword || k === SyntaxKind.BigIntKeyword)
  );
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return compareStrings(a.name, b.name);
}

/** Code-unit order: the same on every machine and locale. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Comparing with spec/

export type MemberPlace = "input" | "output" | "model";

export type MemberFact = "type" | "list" | "required" | "nullable" | "deprecated" | "description";

export type SdkDifference =
  /** The SDK has it, spec/ lacks it. `path`: `Action`, `Model`, `Action.input.Member`, `Model.Member`. */
  | { readonly kind: "action missing" | "model missing"; readonly path: string }
  | {
      readonly kind: "member missing";
      readonly path: string;
      readonly owner: string;
      readonly place: MemberPlace;
      readonly member: string;
      /** The SDK's facts, for people: `number list, required, nullable`. */
      readonly sdk: string;
    }
  /** spec/ has it, the SDK lacks it. */
  | { readonly kind: "action only in spec" | "model only in spec"; readonly path: string }
  | {
      readonly kind: "member only in spec";
      readonly path: string;
      readonly owner: string;
      readonly place: MemberPlace;
      readonly member: string;
    }
  /** Both have the member; one fact differs (`spec` → `sdk`). */
  | {
      readonly kind: "member differs";
      readonly path: string;
      readonly owner: string;
      readonly place: MemberPlace;
      readonly member: string;
      readonly fact: MemberFact;
      readonly spec: string;
      readonly sdk: string;
    };

export interface DiffOptions {
  /** Also report members whose zh description differs (off by default: see the module comment). */
  readonly descriptions?: boolean;
}

/** What `sdk` says differently from `service` (spec/, loaded), sorted by path: see the module comment. */
export function diffSdk(sdk: SdkDefinition, service: Service, options: DiffOptions = {}): SdkDifference[] {
  const out: SdkDifference[] = [];
  const specActions = new Map(service.actions.map((a) => [a.name, a]));
  const specModels = new Map(service.models.map((m) => [m.name, m]));
  const sdkActions = new Map(sdk.actions.map((a) => [a.name, a]));
  const sdkModels = new Map(sdk.models.map((m) => [m.name, m]));
  const use = specModelUse(service);
  const rules = (place: MemberPlace, model?: string): CompareRules => ({
    place,
    required: place === "input" || (model !== undefined && use.input.has(model)),
    nullable: place === "output" || (model !== undefined && use.output.has(model)),
    descriptions: options.descriptions === true,
  });

  compareNames(out, sdkActions, specActions, "action missing", "action only in spec");
  compareNames(out, sdkModels, specModels, "model missing", "model only in spec");
  for (const [name, a] of sdkActions) {
    const spec = specActions.get(name);
    if (!spec) continue;
    compareMembers(out, name, rules("input"), a.request.members, spec.input);
    compareMembers(out, name, rules("output"), a.response.members, spec.output);
  }
  for (const [name, m] of sdkModels) {
    const spec = specModels.get(name);
    if (spec) compareMembers(out, name, rules("model", name), m.members, spec.members);
  }
  return out.sort(byPath);
}

/** Which facts of a member are compared where (the module comment says why). */
interface CompareRules {
  readonly place: MemberPlace;
  readonly required: boolean;
  readonly nullable: boolean;
  readonly descriptions: boolean;
}

/** The spec's models some action's input, and some action's output, reaches (directly or through models). */
function specModelUse(service: Service): { input: ReadonlySet<string>; output: ReadonlySet<string> } {
  const models = new Map(service.models.map((m) => [m.name, m]));
  const reach = (members: readonly Member[], seen: Set<string>): Set<string> => {
    for (const m of members) {
      const model: Model | undefined = models.get(m.type.name);
      if (model && !seen.has(model.name)) reach(model.members, seen.add(model.name));
    }
    return seen;
  };
  return {
    input: reach(
      service.actions.flatMap((a) => a.input),
      new Set(),
    ),
    output: reach(
      service.actions.flatMap((a) => a.output),
      new Set(),
    ),
  };
}

function compareNames(
  out: SdkDifference[],
  sdk: ReadonlyMap<string, unknown>,
  spec: ReadonlyMap<string, unknown>,
  missing: "action missing" | "model missing",
  onlyInSpec: "action only in spec" | "model only in spec",
): void {
  for (const name of sdk.keys()) if (!spec.has(name)) out.push({ kind: missing, path: name });
  for (const name of spec.keys()) if (!sdk.has(name)) out.push({ kind: onlyInSpec, path: name });
}

/** `Action.input.Member` or `Model.Member`. */
export function memberPath(owner: string, place: MemberPlace, member: string): string {
  return place === "model" ? `${owner}.${member}` : `${owner}.${place}.${member}`;
}

function compareMembers(
  out: SdkDifference[],
  owner: string,
  rules: CompareRules,
  sdkMembers: readonly SdkMember[],
  specMembers: readonly Member[],
): void {
  const { place } = rules;
  const spec = new Map(specMembers.map((m) => [m.name, m]));
  const sdk = new Map(sdkMembers.map((m) => [m.name, m]));
  for (const [member, s] of sdk) {
    const path = memberPath(owner, place, member);
    const m = spec.get(member);
    if (!m) out.push({ kind: "member missing", path, owner, place, member, sdk: describeSdkMember(s, rules) });
    else
      for (const d of factDifferences(s, m, rules))
        out.push({ kind: "member differs", path, owner, place, member, ...d });
  }
  for (const member of spec.keys())
    if (!sdk.has(member))
      out.push({ kind: "member only in spec", path: memberPath(owner, place, member), owner, place, member });
}

/** `required` as the SDK says it: no `?`, unless hidden (Tencent hides it: nobody need send it). */
function sdkRequired(s: SdkMember): boolean {
  return !s.optional && !s.hidden;
}

/** The facts that differ of a member both sides have (`number` fits every numeric spec type). */
function factDifferences(
  s: SdkMember,
  m: Member,
  rules: CompareRules,
): { fact: MemberFact; spec: string; sdk: string }[] {
  const out: { fact: MemberFact; spec: string; sdk: string }[] = [];
  const compare = (fact: MemberFact, spec: string, sdk: string, same = spec === sdk): void => {
    if (!same) out.push({ fact, spec, sdk });
  };
  // An unmappable SDK type is a problem of its own (SdkDefinition.problems), not a difference.
  if (s.type !== undefined) {
    compare("type", m.type.name, s.type, sameType(s.type, m.type.name));
    compare("list", String(m.list), String(s.list));
  }
  if (rules.required) compare("required", String(m.required), String(sdkRequired(s)));
  if (rules.nullable) compare("nullable", String(m.nullable), String(s.nullable));
  compare("deprecated", String(m.deprecated), String(s.deprecated));
  if (rules.descriptions) {
    const [spec, sdk] = [m.description.zh ?? "", s.description ?? ""];
    compare("description", spec, sdk, sameText(spec, sdk));
  }
  return out;
}

/** Texts equal but for white space (the SDK's generator re-indents continuation lines). */
function sameText(a: string, b: string): boolean {
  const squeeze = (t: string) => t.replace(/\s+/g, " ").trim();
  return squeeze(a) === squeeze(b);
}

const NUMERIC_SPEC_TYPES: ReadonlySet<string> = new Set(["int64", "uint64", "float"]);

/** Whether the SDK's type names the spec's: `number` is any of int64, uint64 and float. */
function sameType(sdkType: string, specType: string): boolean {
  return sdkType === SDK_NUMBER ? NUMERIC_SPEC_TYPES.has(specType) : sdkType === specType;
}

function describeSdkMember(s: SdkMember, rules: CompareRules): string {
  return [
    `${s.type ?? `? (${s.typeText})`}${s.list ? " list" : ""}`,
    ...(rules.required && sdkRequired(s) ? ["required"] : []),
    ...(s.nullable ? ["nullable"] : []),
    ...(s.deprecated ? ["deprecated"] : []),
  ].join(", ");
}

function byPath(a: SdkDifference, b: SdkDifference): number {
  const key = (d: SdkDifference) => [d.path, d.kind, "fact" in d ? d.fact : ""].join("\u0000");
  return compareStrings(key(a), key(b));
}

const SIGN: Record<SdkDifference["kind"], string> = {
  "action missing": "+",
  "model missing": "+",
  "member missing": "+",
  "action only in spec": "-",
  "model only in spec": "-",
  "member only in spec": "-",
  "member differs": "~",
};

/**
 * The differences (and the file's problems) as lines for a person: `+` what only the SDK has, `-` what only
 * spec/ has, `~` a fact that differs (spec → SDK), `!` what the file says that cannot be read, then the counts.
 */
export function formatSdkDiff(
  diffs: readonly SdkDifference[],
  names: { readonly sdk: string; readonly spec: string },
  problems: readonly SdkProblem[] = [],
): string[] {
  const lines = diffs.map((d) => `${SIGN[d.kind]} ${d.path}${differenceDetail(d)}`);
  for (const p of problems) lines.push(`! ${p.message} (line ${p.line})`);
  lines.push(
    diffs.length
      ? `${diffs.length} difference(s) between ${names.sdk} and ${names.spec}`
      : `no difference between ${names.sdk} and ${names.spec}`,
  );
  if (problems.length) lines.push(`${problems.length} problem(s) reading ${names.sdk}`);
  return lines;
}

function differenceDetail(d: SdkDifference): string {
  switch (d.kind) {
    case "action missing":
    case "action only in spec":
      return " (action)";
    case "model missing":
    case "model only in spec":
      return " (model)";
    case "member missing":
      return ` (${d.sdk})`;
    case "member only in spec":
      return "";
    case "member differs":
      return d.fact === "description"
        ? `: description ${JSON.stringify(d.spec)} → ${JSON.stringify(d.sdk)}`
        : `: ${d.fact} ${d.spec} → ${d.sdk}`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Proposals for what spec/ lacks

/** A raw spec for one missing model or member, ready for an importer, with where it came from. */
export type SdkProposal =
  | {
      readonly kind: "model";
      /** The model's name. */
      readonly path: string;
      /** Its `notes` hold `note`. */
      readonly model: RawModelSpec;
      readonly source: string;
      /** What the SDK could not decide and was chosen (a numeric type), `Member: …`: for the importer's report. */
      readonly choices: readonly string[];
      /** The line for the model's `notes` saying where it came from. */
      readonly note: string;
    }
  | {
      readonly kind: "member";
      /** `Action.input.Member` or `Model.Member`. */
      readonly path: string;
      readonly owner: string;
      readonly place: MemberPlace;
      readonly member: string;
      readonly spec: RawMember;
      readonly source: string;
      readonly choices: readonly string[];
      /** A line for the owner's `notes` (the member itself has no place for it). */
      readonly note: string;
    };

/**
 * Raw specs for what `diffSdk` calls missing: models and members, the paths given or all of them. Types mapped
 * (a numeric one chosen as the module comment says), `required` where the SDK tells it, `nullable` where answers
 * carry the member, `deprecated`, zh descriptions. A missing model's members come inside its proposal. Missing
 * actions are not proposed: their title, idempotency, errors and examples are not in the SDK (import them from
 * api.json). Throws for a path that is not a missing model or member, or whose type the file does not let map.
 */
export function sdkSpecs(sdk: SdkDefinition, service: Service, paths?: readonly string[]): SdkProposal[] {
  const missing = new Map<string, SdkDifference>();
  for (const d of diffSdk(sdk, service))
    if (d.kind === "model missing" || d.kind === "member missing") missing.set(d.path, d);
  const context = proposalContext(sdk, service);
  return (paths ?? [...missing.keys()]).map((p) => {
    const d = missing.get(p);
    if (d?.kind === "model missing") return modelProposal(p, context);
    if (d?.kind === "member missing") return memberProposal(d, context);
    throw new Error(`sdkSpecs: ${p} is no model or member that ${sdk.source} has and the spec lacks`);
  });
}

interface ProposalContext {
  readonly sdk: SdkDefinition;
  /** Models some SDK input reaches: their members take `required` from the SDK's `?`. */
  readonly inputModels: ReadonlySet<string>;
  /** Models some SDK answer reaches: their members may be `nullable`. */
  readonly outputModels: ReadonlySet<string>;
  /** The numeric spec types members of each name have across spec/ (actions and models). */
  readonly numericTypes: ReadonlyMap<string, ReadonlySet<string>>;
}

function proposalContext(sdk: SdkDefinition, service: Service): ProposalContext {
  const models = new Map(sdk.models.map((m) => [m.name, m]));
  return {
    sdk,
    inputModels: reachedModels(
      sdk.actions.map((a) => a.request),
      models,
    ),
    outputModels: reachedModels(
      sdk.actions.map((a) => a.response),
      models,
    ),
    numericTypes: numericTypesByName(service),
  };
}

/** The models the given interfaces reach, directly or through other models. */
function reachedModels(start: readonly SdkInterface[], models: ReadonlyMap<string, SdkInterface>): Set<string> {
  const seen = new Set<string>();
  const visit = (i: SdkInterface): void => {
    for (const m of i.members) {
      const model = m.type !== undefined ? models.get(m.type) : undefined;
      if (model && !seen.has(model.name)) {
        seen.add(model.name);
        visit(model);
      }
    }
  };
  for (const i of start) visit(i);
  return seen;
}

function numericTypesByName(service: Service): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const members = [
    ...service.actions.flatMap((a) => [...a.input, ...a.output]),
    ...service.models.flatMap((m) => m.members),
  ];
  for (const m of members)
    if (NUMERIC_SPEC_TYPES.has(m.type.name)) out.set(m.name, (out.get(m.name) ?? new Set<string>()).add(m.type.name));
  return out;
}

function modelProposal(name: string, c: ProposalContext): SdkProposal {
  const model = c.sdk.models.find((m) => m.name === name)!;
  const members: Record<string, RawMember> = {};
  const choices: string[] = [];
  for (const s of model.members) {
    const proposed = rawMember(s, "model", name, c);
    members[s.name] = proposed.member;
    choices.push(...proposed.choices.map((x) => `${s.name}: ${x}`));
  }
  const note = `From ${c.sdk.source}: api.json does not have this model yet (no English; ${
    c.inputModels.has(name) ? "" : "which members every answer has is unknown, "
  }review the types).`;
  const spec: RawModelSpec = {
    model: name,
    description: sdkText(model.description, c.sdk.source),
    notes: [note],
    members,
  };
  return { kind: "model", path: name, model: spec, source: c.sdk.source, choices, note };
}

function memberProposal(d: Extract<SdkDifference, { kind: "member missing" }>, c: ProposalContext): SdkProposal {
  const s = sdkMember(c.sdk, d.owner, d.place, d.member);
  const proposed = rawMember(s, d.place, d.owner, c);
  const where = d.place === "model" ? d.member : `${d.place}.${d.member}`;
  return {
    kind: "member",
    path: d.path,
    owner: d.owner,
    place: d.place,
    member: d.member,
    spec: proposed.member,
    source: c.sdk.source,
    choices: proposed.choices,
    note: `From ${c.sdk.source}: \`${where}\` (api.json does not have it yet; no English).`,
  };
}

function sdkMember(sdk: SdkDefinition, owner: string, place: MemberPlace, member: string): SdkMember {
  const action = sdk.actions.find((a) => a.name === owner);
  const holder =
    place === "model"
      ? sdk.models.find((m) => m.name === owner)
      : place === "input"
        ? action?.request
        : action?.response;
  return holder!.members.find((m) => m.name === member)!;
}

function sdkText(description: string | undefined, source: string): RawText {
  return description !== undefined ? { zh: description } : { en: `(not described in ${source})` };
}

/** The raw member the SDK's facts give, at `place` (in model `owner` when `place` is model). */
function rawMember(
  s: SdkMember,
  place: MemberPlace,
  owner: string,
  c: ProposalContext,
): { member: RawMember; choices: string[] } {
  if (s.type === undefined)
    throw new Error(`sdkSpecs: ${owner}.${s.name} has a type the rules cannot map (\`${s.typeText}\`)`);
  const typed = specType(s.name, s.type, c);
  const member: RawMember = {
    type: typed.type,
    ...(s.list ? { list: true } : {}),
    ...proposedOptionality(s, place, owner, c),
    ...(s.deprecated ? { deprecated: true } : {}),
    description: sdkText(s.description, c.sdk.source),
  };
  return { member, choices: typed.choice ? [typed.choice] : [] };
}

/** The spec type of an SDK type: `number` becomes the one spec/ gives every other member `name`, else int64. */
function specType(name: string, sdkType: string, c: ProposalContext): { type: string; choice?: string } {
  if (sdkType !== SDK_NUMBER) return { type: sdkType };
  const known = [...(c.numericTypes.get(name) ?? [])].sort();
  if (known.length === 1)
    return { type: known[0]!, choice: `number → ${known[0]}, the type spec/ gives every other \`${name}\`` };
  const why = known.length ? `spec/ has \`${name}\` as ${known.join(" and ")}` : `no other \`${name}\` in spec/`;
  return { type: "int64", choice: `number → int64, a guess: the SDK cannot tell int64, uint64 or float (${why})` };
}

/** `required` (inputs, and models inputs reach) and `nullable` (outputs, and models answers reach). */
function proposedOptionality(
  s: SdkMember,
  place: MemberPlace,
  owner: string,
  c: ProposalContext,
): { required?: true; nullable?: true } {
  const byInput = place === "input" || (place === "model" && c.inputModels.has(owner));
  const byOutput = place === "output" || (place === "model" && c.outputModels.has(owner));
  const required = byInput && sdkRequired(s);
  const nullable = byOutput && s.nullable;
  return { ...(required ? { required: true } : {}), ...(nullable ? { nullable: true } : {}) };
}
