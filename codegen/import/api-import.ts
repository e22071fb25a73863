/**
 * The import of Tencent's machine-readable definitions (api.zh/en.json, examples.zh/en.json,
 * errorcodes.zh/en.json) into raw specs, as named steps a reader can follow:
 *
 *   models → actions (members, texts, error codes) → official examples parsed → the values they use →
 *   facts lifted from prose (checked against those values) → member examples → request examples → the selection.
 *
 * Each step is a method of ApiImporter; the rules of each conversion (types, texts, idempotency, example
 * parsing) are the functions of apijson.ts.
 */
import { validate } from "../../src/validate.js";
import { isScalarType } from "../vocabulary.js";
import {
  ASSUMED_RATE_LIMIT,
  DEPRECATED,
  cleanText,
  deprecatedByText,
  idempotency,
  ImportError,
  mapType,
  memberExample,
  modelNames,
  modelUse,
  NO_DESCRIPTION,
  optionality,
  parseExampleInput,
  parseExampleOutput,
  rawMemberShape,
  reach,
  requestViolations,
  responseViolations,
  short,
  text,
  unreviewedReason,
  type ApiJson,
  type ApiMember,
  type ExampleEntry,
  type ModelUse,
  type Sources,
  type Where,
} from "./apijson.js";
import { liftIntegerEnum, liftPrefixPattern } from "./lift.js";
import type {
  ImportResult,
  RawActionSpec,
  RawEnumValue,
  RawErrorCode,
  RawExample,
  RawMember,
  RawModelSpec,
} from "./types.js";

export interface LiftedFact {
  /** `Action.input.Member` or `Model.Member`. */
  where: string;
  kind: "enum" | "pattern" | "deprecated";
  /** Enum values with their labels, or the pattern. */
  fact: string;
  /** Set when the lift was checked against an official value it refuses: the fact was dropped. */
  dropped?: string;
}

export interface ApiImport {
  actions: Map<string, ImportResult<RawActionSpec>>;
  models: Map<string, ImportResult<RawModelSpec>>;
  /** Warnings about the sources as a whole. */
  warnings: string[];
  lifted: LiftedFact[];
  /** Models no action reaches (imported all the same). */
  unreferenced: string[];
}

export interface ImportOptions {
  /** Only these actions (and the models they reach); default: every action and every model. */
  actions?: readonly string[];
}

/** One official example of an action, parsed (or why it could not be). */
interface ParsedExample {
  index: number;
  entry: ExampleEntry;
  en?: ExampleEntry;
  headerAction?: string;
  request?: Record<string, unknown>;
  response?: Record<string, unknown>;
  error?: string;
}

/** The members of one api.json object as raw members, with what the conversion noticed. */
interface ConvertedMembers {
  members: Record<string, RawMember>;
  /** Members api.json marks disabled (kept as deprecated). */
  disabled: string[];
  /** Members whose description says they are deprecated. */
  described: string[];
  warnings: string[];
  /** For a model both inputs and answers use: members whose required differs between the two. */
  differ: string[];
}

function describeEnum(values: RawEnumValue[]): string {
  return values
    .map((v) => `${JSON.stringify(v.value)}${v.description ? ` (${v.description.zh ?? v.description.en})` : ""}`)
    .join(", ");
}

const describedNote = (list: string[]) =>
  `Deprecated by its description (废弃 / deprecated), though not disabled in api.json: ${list.map((n) => `\`${n}\``).join(", ")}.`;
const disabledNote = (list: string[]) =>
  `Disabled in api.json (kept as deprecated: Tencent hides them, old callers and old answers still carry them): ${list.map((n) => `\`${n}\``).join(", ")}.`;

class ApiImporter {
  readonly #sources: Sources;
  readonly #api: ApiJson;
  readonly #en: ApiJson | undefined;
  readonly #use: ModelUse;
  readonly #names: string[];
  readonly #unreferenced: string[];
  readonly #warnings: string[] = [];
  readonly #lifted: LiftedFact[] = [];
  readonly #models: Record<string, RawModelSpec> = {};
  readonly #modelWarnings = new Map<string, string[]>();
  readonly #actions: Record<string, RawActionSpec> = {};
  readonly #actionWarnings = new Map<string, string[]>();

  constructor(sources: Sources) {
    this.#sources = sources;
    this.#api = sources.api;
    this.#en = sources.apiEn;
    this.#use = modelUse(this.#api);
    this.#names = modelNames(this.#api);
    this.#unreferenced = this.#names.filter((n) => !this.#use.input.has(n) && !this.#use.output.has(n));
  }

  run(options: ImportOptions): ApiImport {
    this.#checkSources(options);
    this.#importModels();
    this.#importActions();
    const examples = this.#parseExamples();
    this.#liftFacts(this.#officialValues(examples));
    this.#addMemberExamples();
    this.#addRequestExamples(examples);
    return this.#select(options);
  }

  #checkSources(options: ImportOptions): void {
    const en = this.#en;
    if (en) {
      const zhOnly = Object.keys(this.#api.actions).filter((a) => !Object.hasOwn(en.actions, a));
      if (zhOnly.length)
        this.#warnings.push(
          `${zhOnly.length} action(s) only in api.zh.json, imported with zh texts only: ${zhOnly.join(", ")}`,
        );
    } else this.#warnings.push("no api.en.json: zh texts only");
    for (const a of options.actions ?? [])
      if (!Object.hasOwn(this.#api.actions, a)) throw new ImportError(`api.json has no action ${a}`);
  }

  // -- Members ---------------------------------------------------------------------------------------------------

  #enMember(object: string, name: string): ApiMember | undefined {
    return this.#en?.objects[object]?.members.find((m) => m.name === name);
  }

  /** The members of api.json's `object` (no examples yet). */
  #convert(object: string, where: Where, owner: string, modelName?: string): ConvertedMembers {
    const out: ConvertedMembers = { members: {}, disabled: [], described: [], warnings: [], differ: [] };
    for (const m of this.#api.objects[object]?.members ?? []) {
      if (where === "output" && m.name === "RequestId") continue;
      out.members[m.name] = this.#convertMember(m, object, where, owner, modelName, out);
    }
    return out;
  }

  #convertMember(
    m: ApiMember,
    object: string,
    where: Where,
    owner: string,
    modelName: string | undefined,
    out: ConvertedMembers,
  ): RawMember {
    const t = mapType(m, this.#api.objects);
    if ("error" in t) throw new ImportError(`${owner}.${m.name}: ${t.error}`);
    const o = optionality(m, where, modelName ? { name: modelName, use: this.#use } : undefined);
    const member: RawMember = { type: t.type, description: NO_DESCRIPTION };
    if (t.list) member.list = true;
    if (o.required) member.required = true;
    if (o.nullable) member.nullable = true;
    if (m.disabled) {
      member.deprecated = true;
      out.disabled.push(m.name);
    }
    const description = text(
      cleanText(m.document, o.nullable),
      cleanText(this.#enMember(object, m.name)?.document, o.nullable),
    );
    if (description) member.description = description;
    else out.warnings.push(`${owner}.${m.name} has no description in api.json; "${NO_DESCRIPTION.en}" stands in`);
    if (!m.disabled && deprecatedByText(m)) {
      member.deprecated = true;
      out.described.push(m.name);
      this.#lifted.push({
        where: `${owner}.${m.name}`,
        kind: "deprecated",
        fact: short(description!.zh ?? description!.en!),
      });
    }
    const shared = where === "model" && this.#use.input.has(modelName!) && this.#use.output.has(modelName!);
    if (shared && m.output_required !== undefined && m.required !== undefined && m.output_required !== m.required)
      out.differ.push(`${m.name} (required ${m.required}, output_required ${m.output_required})`);
    return member;
  }

  // -- Models and actions ----------------------------------------------------------------------------------------

  #importModels(): void {
    for (const name of this.#names) {
      const obj = this.#api.objects[name]!;
      const c = this.#convert(name, "model", name, name);
      const notes: string[] = [];
      if (c.disabled.length) notes.push(disabledNote(c.disabled));
      if (c.described.length) notes.push(describedNote(c.described));
      if (c.differ.length)
        notes.push(
          `Required differs between input and output in api.json for ${c.differ.join(", ")}: inputs and answers both use this model; the spec follows the input (the client validates it).`,
        );
      const description = text(cleanText(obj.document), cleanText(this.#en?.objects[name]?.document));
      this.#models[name] = {
        model: name,
        description: description ?? NO_DESCRIPTION,
        ...(notes.length ? { notes } : {}),
        members: c.members,
      };
      const w = [...c.warnings];
      if (!description) w.push(`model ${name} has no description in api.json`);
      if (this.#unreferenced.includes(name)) w.push(`model ${name} is used by no action; imported all the same`);
      this.#modelWarnings.set(name, w);
    }
  }

  #importActions(): void {
    for (const name of Object.keys(this.#api.actions).sort()) {
      const w: string[] = [];
      this.#actions[name] = this.#importAction(name, w);
      this.#actionWarnings.set(name, w);
    }
  }

  /** An action's members, texts, notes and error codes. */
  #importAction(name: string, w: string[]): RawActionSpec {
    const a = this.#api.actions[name]!;
    const ae = this.#en?.actions[name];
    const input = this.#convert(a.input, "input", `${name}.input`);
    const output = this.#convert(a.output, "output", `${name}.output`);
    w.push(...input.warnings, ...output.warnings);
    const notes: string[] = [];
    const disabled = [...input.disabled.map((n) => `input.${n}`), ...output.disabled.map((n) => `output.${n}`)];
    if (disabled.length) notes.push(disabledNote(disabled));
    const described = [...input.described.map((n) => `input.${n}`), ...output.described.map((n) => `output.${n}`)];
    if (described.length) notes.push(describedNote(described));
    const offline = a.status !== undefined && a.status !== "online";
    if (offline) notes.push(`\`status: ${a.status}\` in api.json: the action is marked deprecated.`);
    const titled = !offline && DEPRECATED.test(a.name);
    if (titled) {
      notes.push(`Its title says it is deprecated (${cleanText(a.name)}): the action is marked deprecated.`);
      this.#lifted.push({ where: name, kind: "deprecated", fact: short(cleanText(a.name) ?? name) });
    }
    const i = idempotency(name);
    return {
      action: name,
      title: text(cleanText(a.name), cleanText(ae?.name)) ?? { en: name },
      description: text(cleanText(a.document), cleanText(ae?.document)) ??
        text(cleanText(a.name), undefined) ?? { en: name },
      rateLimitPerSecond: ASSUMED_RATE_LIMIT,
      idempotent: i.idempotent,
      idempotentReason: unreviewedReason(i),
      ...(offline || titled ? { deprecated: true } : {}),
      notes,
      input: input.members,
      output: output.members,
      errors: this.#errorCodes(name, w),
    };
  }

  /** The action's codes from errorcodes.zh.json, with the zh and en descriptions of productErrorCodes. */
  #errorCodes(name: string, w: string[]): RawErrorCode[] {
    const { errorcodes, errorcodesEn } = this.#sources;
    const zhCodes = new Map((errorcodes?.productErrorCodes ?? []).map((e) => [e.code, e.description]));
    const enCodes = new Map((errorcodesEn?.productErrorCodes ?? []).map((e) => [e.code, e.description]));
    const errors: RawErrorCode[] = [];
    for (const code of errorcodes?.actions[name]?.errorCodes ?? []) {
      const description = text(cleanText(zhCodes.get(code)), cleanText(enCodes.get(code)));
      if (!description) w.push(`error code ${code} has no description in errorcodes.*.json; its code stands in`);
      errors.push({ code, description: description ?? { en: code } });
    }
    if (!errorcodes) w.push("no errorcodes.zh.json given: no error codes imported");
    const enErrors = errorcodesEn?.actions[name]?.errorCodes;
    const zhErrors = errorcodes?.actions[name]?.errorCodes;
    if (enErrors && zhErrors && enErrors.join() !== zhErrors.join())
      w.push("errorcodes.en.json lists other codes than errorcodes.zh.json; the zh list is used");
    return errors;
  }

  // -- Official examples -----------------------------------------------------------------------------------------

  /** Every official example parsed first: lifted enums are checked against the values they use. */
  #parseExamples(): Map<string, ParsedExample[]> {
    const parsed = new Map<string, ParsedExample[]>();
    for (const name of Object.keys(this.#actions)) {
      const list = this.#sources.examples?.actions[name] ?? [];
      const listEn = this.#sources.examplesEn?.actions[name] ?? [];
      if (listEn.length && listEn.length !== list.length)
        this.#actionWarnings
          .get(name)!
          .push(
            `examples.en.json has ${listEn.length} examples, examples.zh.json ${list.length}; en texts are matched by position`,
          );
      parsed.set(
        name,
        list.map((entry, index) => this.#parseExample(name, entry, index, listEn[index])),
      );
    }
    return parsed;
  }

  #parseExample(name: string, entry: ExampleEntry, index: number, en: ExampleEntry | undefined): ParsedExample {
    const p: ParsedExample = { index, entry, ...(en ? { en } : {}) };
    const input = this.#api.actions[name]!.input;
    const req = parseExampleInput(entry.input, this.#api, input);
    if ("error" in req) {
      // Fall back to the en example's body, which is the same request in the other language.
      const alt = en ? parseExampleInput(en.input, this.#api, input) : undefined;
      if (alt && !("error" in alt)) {
        p.request = alt.request;
        if (alt.action !== undefined) p.headerAction = alt.action;
        this.#actionWarnings.get(name)!.push(`example ${index + 1}: the zh request ${req.error}; the en one is used`);
      } else p.error = `the request ${req.error}`;
    } else {
      p.request = req.request;
      if (req.action !== undefined) p.headerAction = req.action;
    }
    const res = parseExampleOutput(entry.output);
    if ("error" in res) p.error = p.error ?? res.error;
    else p.response = res.response;
    return p;
  }

  /** Every official value of each member (`Action.input.Member` / `Model.Member`): in requests and api.json. */
  #officialValues(examples: Map<string, ParsedExample[]>): Map<string, unknown[]> {
    const values = new Map<string, unknown[]>();
    const record = (key: string, value: unknown) => values.set(key, [...(values.get(key) ?? []), value]);
    const walk = (members: Record<string, RawMember>, owner: string, value: unknown) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const m = members[k];
        if (!m) continue;
        for (const item of m.list && Array.isArray(v) ? v : [v]) {
          if (isScalarType(m.type)) record(`${owner}.${k}`, item);
          else if (this.#models[m.type]) walk(this.#models[m.type]!.members, m.type, item);
        }
      }
    };
    for (const [name, list] of examples)
      for (const p of list) if (p.request) walk(this.#actions[name]!.input, `${name}.input`, p.request);
    const memberExamples = (owner: string, objectName: string, members: Record<string, RawMember>) => {
      for (const m of this.#api.objects[objectName]?.members ?? []) {
        const r = members[m.name];
        if (!r) continue;
        const ex = memberExample(m.example, r.type, r.list === true);
        if (ex === undefined || !isScalarType(r.type)) continue;
        for (const item of r.list && Array.isArray(ex) ? ex : [ex]) record(`${owner}.${m.name}`, item);
      }
    };
    for (const name of Object.keys(this.#actions))
      memberExamples(`${name}.input`, this.#api.actions[name]!.input, this.#actions[name]!.input);
    for (const name of this.#names) memberExamples(name, name, this.#models[name]!.members);
    return values;
  }

  // -- Facts lifted from prose ----------------------------------------------------------------------------------

  /** Enums and prefix patterns, on inputs and the models inputs reach, unless an official value refutes them. */
  #liftFacts(officialValues: Map<string, unknown[]>): void {
    for (const name of Object.keys(this.#actions))
      for (const [k, m] of Object.entries(this.#actions[name]!.input))
        this.#lift(`${name}.input.${k}`, m, officialValues);
    for (const name of this.#names)
      if (this.#use.input.has(name))
        for (const [k, m] of Object.entries(this.#models[name]!.members)) this.#lift(`${name}.${k}`, m, officialValues);
  }

  #lift(where: string, m: RawMember, officialValues: Map<string, unknown[]>): void {
    if (m.type === "int64" || m.type === "uint64") {
      const values = liftIntegerEnum(m.description);
      if (!values) return;
      const fact: LiftedFact = { where, kind: "enum", fact: describeEnum(values) };
      const allowed = new Set(values.map((v) => v.value));
      const outside = (officialValues.get(where) ?? []).filter((v) => !allowed.has(v as number));
      if (outside.length) fact.dropped = `official example value ${JSON.stringify(outside[0])} is not in it`;
      else m.enum = values;
      this.#lifted.push(fact);
    } else if (m.type === "string") {
      const pattern = liftPrefixPattern(m.description);
      if (!pattern) return;
      const fact: LiftedFact = { where, kind: "pattern", fact: pattern };
      const re = new RegExp(pattern, "u");
      const outside = (officialValues.get(where) ?? []).filter((v) => typeof v === "string" && !re.test(v));
      if (outside.length) fact.dropped = `official example value ${JSON.stringify(outside[0])} does not match it`;
      else m.pattern = pattern;
      this.#lifted.push(fact);
    }
  }

  // -- Examples into the specs -----------------------------------------------------------------------------------

  /** api.json's member examples, kept when they fit the member's rules. */
  #addMemberExamples(): void {
    for (const name of this.#names)
      this.#addExamplesOf(name, name, this.#models[name]!.members, this.#modelWarnings.get(name)!);
    for (const name of Object.keys(this.#actions)) {
      const a = this.#api.actions[name]!;
      const w = this.#actionWarnings.get(name)!;
      this.#addExamplesOf(a.input, `${name}.input`, this.#actions[name]!.input, w);
      this.#addExamplesOf(a.output, `${name}.output`, this.#actions[name]!.output, w);
    }
  }

  #addExamplesOf(objectName: string, owner: string, members: Record<string, RawMember>, w: string[]): void {
    for (const m of this.#api.objects[objectName]?.members ?? []) {
      const r = members[m.name];
      if (!r) continue;
      const ex = memberExample(m.example, r.type, r.list === true);
      if (ex === undefined) continue;
      const shape = { [m.name]: { ...rawMemberShape(r, this.#models), required: true as const } };
      if (validate(shape, { [m.name]: ex }).length === 0) r.example = ex;
      else if (isScalarType(r.type))
        w.push(`${owner}.${m.name}: api.json's example ${JSON.stringify(m.example)} does not fit the member; left out`);
    }
  }

  /** The official request examples, each with its verdict (`invalid` when it breaks the spec). */
  #addRequestExamples(parsed: Map<string, ParsedExample[]>): void {
    for (const [name, list] of parsed) {
      const spec = this.#actions[name]!;
      const w = this.#actionWarnings.get(name)!;
      const examples = list.flatMap((p) => this.#requestExample(name, spec, p, w) ?? []);
      if (examples.length) spec.examples = examples;
      else if (!this.#sources.examples) w.push("no examples.zh.json given: no examples imported");
      else if (!list.length) w.push("examples.zh.json has no example of this action");
    }
  }

  #requestExample(name: string, spec: RawActionSpec, p: ParsedExample, w: string[]): RawExample | undefined {
    if (!p.request || !p.response) {
      w.push(`example ${p.index + 1} left out: ${p.error ?? "unreadable"}`);
      return undefined;
    }
    const response: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p.response)) {
      if (k === "RequestId" || Object.hasOwn(spec.output, k)) response[k] = v;
      else w.push(`example ${p.index + 1}: its response has \`${k}\`, which is no output member; left out`);
    }
    const description = text(cleanText(p.entry.document), cleanText(p.en?.document));
    const ex: RawExample = {
      title: text(cleanText(p.entry.title), cleanText(p.en?.title)) ?? { en: `Example ${p.index + 1}` },
      ...(description ? { description } : {}),
      request: p.request,
      response,
    };
    // An answer that breaks the output (an answer from before api.json's newest members) cannot be shown as an
    // example of it, and the spec format has no `invalid` for answers: the example is left out, and said so.
    const wrongAnswer = responseViolations(spec.output, this.#models, response, this.#use.input);
    if (wrongAnswer.length) {
      w.push(`example ${p.index + 1} left out: its answer breaks the output (${wrongAnswer.join("; ")})`);
      spec.notes!.push(
        `The official example ${p.index + 1} is left out: its answer breaks the output api.json defines (${wrongAnswer.join("; ")}).`,
      );
      return undefined;
    }
    const why = requestViolations(spec.input, this.#models, p.request);
    const otherAction = p.headerAction !== undefined && p.headerAction !== name ? p.headerAction : undefined;
    if (why !== undefined) ex.invalid = otherAction ? `it sends \`X-TC-Action: ${otherAction}\`, and ${why}` : why;
    else if (otherAction)
      spec.notes!.push(
        `The official example ${p.index + 1} sends \`X-TC-Action: ${otherAction}\` by mistake; its body fits this action, so it is kept as a valid example of ${name}.`,
      );
    return ex;
  }

  // -- The selection ---------------------------------------------------------------------------------------------

  /** The actions asked for and the models they reach (everything without a selection). */
  #select(options: ImportOptions): ApiImport {
    const wanted = options.actions ? [...options.actions].sort() : Object.keys(this.#actions);
    const wantedModels = new Set<string>();
    if (options.actions) {
      for (const n of wanted) {
        const seen = new Set<string>();
        reach(this.#api, this.#api.actions[n]!.input, seen);
        reach(this.#api, this.#api.actions[n]!.output, seen);
        for (const s of seen) wantedModels.add(s);
      }
    } else for (const n of this.#names) wantedModels.add(n);
    const inSelection = (where: string) => {
      const owner = where.split(".")[0]!;
      return wanted.includes(owner) || wantedModels.has(owner);
    };
    return {
      actions: new Map(wanted.map((n) => [n, { spec: this.#actions[n]!, warnings: this.#actionWarnings.get(n)! }])),
      models: new Map(
        [...wantedModels].sort().map((n) => [n, { spec: this.#models[n]!, warnings: this.#modelWarnings.get(n)! }]),
      ),
      warnings: this.#warnings,
      lifted: this.#lifted.filter((f) => inSelection(f.where)),
      unreferenced: this.#unreferenced.filter((n) => wantedModels.has(n)),
    };
  }
}

/** Imports `sources` into raw specs: every action and model, or the `actions` asked for and the models they reach. */
export function importApi(sources: Sources, options: ImportOptions = {}): ApiImport {
  return new ApiImporter(sources).run(options);
}
