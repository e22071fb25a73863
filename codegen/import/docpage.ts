/**
 * Reads the text of one Tencent Cloud API action page (as a crawler or a browser's "copy all" renders it, zh or en)
 * into a raw action spec. The page's numbered sections map one to one onto the spec (spec/README.md, "From a doc page
 * to a spec"); text outside them (navigation, feedback, "Was this page helpful?") is ignored.
 *
 * The page cannot say everything a spec needs, and some crawls lose part of what it does say. Whatever was decided
 * here rather than read is reported in `warnings`, for a person (and api.json, via the merge) to settle:
 * `Integer` is typed int64 (api.json tells int64 from uint64), an empty Required column becomes `required: false`,
 * `idempotent` defaults to false. Facts lifted from prose (enums, prefix patterns, nullable outputs) are reported as
 * warnings starting with "lifted:".
 *
 * A text that is not such a page, or has no input table or no Action row, is refused with an Error naming what is
 * missing.
 */
import { MEMBER_KEYS } from "../vocabulary.js";
import { liftIntegerEnum, liftPrefixPattern, plain } from "./lift.js";
import {
  UNREVIEWED,
  type ImportResult,
  type RawActionSpec,
  type RawErrorCode,
  type RawExample,
  type RawMember,
  type RawText,
} from "./types.js";

export type DocPageLanguage = "zh" | "en";

export type DocPageResult = ImportResult<RawActionSpec> & {
  /** Model names the members refer to (in order of first use): their data-structure pages are needed too. */
  models: string[];
  language: DocPageLanguage;
};

/** Section titles, by section number 1..6. The en titles also match their plural ("Examples", "Error Codes"). */
const HEADINGS: Record<DocPageLanguage, readonly string[]> = {
  zh: ["接口描述", "输入参数", "输出参数", "示例", "开发者资源", "错误码"],
  en: ["API Description", "Input Parameters", "Output Parameters", "Examples?", "Developer Resources", "Error Codes?"],
};

function headingPattern(lang: DocPageLanguage, section: number): RegExp {
  return new RegExp(`^${section}\\s*[.．、]\\s*(?:${HEADINGS[lang][section - 1]!})$`, lang === "en" ? "i" : "");
}

/** How the section titles are written, for error messages. */
function headingText(lang: DocPageLanguage, section: number): string {
  return `${section}. ${HEADINGS[lang][section - 1]!.replace("s?", "")}`;
}

const COLON = "[:：]";

// Table headers, compared after pipes are dropped and spaces collapsed.
const INPUT_HEADER_WITH_REQUIRED = /^(?:参数名称 必选 类型 描述|Parameter Name Required Type Description)$/i;
const INPUT_HEADER_WITHOUT_REQUIRED = /^(?:参数名称 类型 描述|Parameter Name Type Description)$/i;
const ERROR_HEADER = /^(?:错误码 描述|Error Code Description)$/i;

const NAME = String.raw`[A-Za-z][A-Za-z0-9_]*(?:\.N)?`;
const TYPE = "Array of [A-Za-z][A-Za-z0-9]*|Timestamp ISO8601|[A-Z][A-Za-z0-9]*";
const REQUIRED = "Yes|No|是|否";
const ROW_WITH_REQUIRED = new RegExp(String.raw`^(${NAME})\s+(?:(${REQUIRED})\s+)?(${TYPE})(?=\s|$)\s*(.*)$`);
const ROW_WITHOUT_REQUIRED = new RegExp(String.raw`^(${NAME})\s+(${TYPE})(?=\s|$)\s*(.*)$`);
const EXAMPLE_VALUE = new RegExp(String.raw`^(?:示例值|Example values?)\s*${COLON}\s*(.*)$`, "i");

/** Error codes: `InternalError`, `InvalidParameter.InvalidPhoneNumber`; a single plain word ("Was ...") is not one. */
const ERROR_ROW =
  /^([A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+|[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)(?:\s*\|\s*|\s+|$)(.*)$/;

const PRIMITIVES: Record<string, string> = {
  String: "string",
  Integer: "int64",
  Int64: "int64",
  Float: "float",
  Double: "float",
  Boolean: "bool",
  Bool: "bool",
};
/** Page types the spec has no type for: carried as strings, with a warning. */
const AS_STRING = new Set(["Timestamp", "Timestamp ISO8601", "Date", "DateTime", "Time"]);

interface Row {
  name: string;
  dotN: boolean;
  /** undefined: the page shows no Required cell for this row. */
  required: boolean | undefined;
  type: string;
  description: string[];
  example?: string;
}

interface Section {
  lines: string[];
  /** Index of the heading line in the whole page, or -1 when the section is absent. */
  at: number;
}

export function parseDocPage(text: string): DocPageResult {
  const lines = normalize(text);
  const language = detectLanguage(lines);
  const sections = splitSections(lines, language);
  const warnings: string[] = [];
  const lang = language;

  if (sections[2]!.at < 0)
    throw new Error(`the page has no section "${headingText(lang, 2)}": it lists the input parameters`);

  // Section 2: the input table (with the Action row, which names the action).
  const inputTable = findTable(sections[2]!.lines, [INPUT_HEADER_WITH_REQUIRED, INPUT_HEADER_WITHOUT_REQUIRED]);
  if (!inputTable)
    throw new Error(
      `section "${headingText(lang, 2)}" has no input parameter table: expected the header ` +
        `"${lang === "zh" ? "参数名称 必选 类型 描述" : "Parameter Name Required Type Description"}" followed by rows`,
    );
  const hasRequiredColumn = INPUT_HEADER_WITH_REQUIRED.test(inputTable.header);
  const inputRows = parseRows(sections[2]!.lines, inputTable.index + 1, hasRequiredColumn);
  const actionRow = inputRows.find((r) => r.name === "Action");
  const actionName =
    actionRow &&
    /(?:本接口取值|The value used for this API)\s*[:：]\s*([A-Za-z][A-Za-z0-9]*)/i.exec(
      actionRow.description.join(" "),
    )?.[1];
  if (!actionName)
    throw new Error(
      `the input table has no Action row naming the action ` +
        `("Action ${lang === "zh" ? "String 公共参数,本接口取值:<Action>" : "Yes String Common Params. The value used for this API: <Action>"}")`,
    );

  const models: string[] = [];
  const integers: string[] = [];
  const members = (rows: Row[], where: "input" | "output"): Record<string, RawMember> => {
    const out: Record<string, RawMember> = {};
    for (const row of rows) {
      if (where === "input" && ["Action", "Version", "Region"].includes(row.name)) continue;
      if (where === "output" && row.name === "RequestId") continue;
      const path = `${where}.${row.name}`;
      if (Object.hasOwn(out, row.name)) {
        warnings.push(`${path} is listed twice on the page; the first row is kept`);
        continue;
      }
      const t = mapType(row.type);
      if (t.note) warnings.push(`${path}: ${t.note}`);
      if (row.type === "Integer" || row.type === `Array of Integer`) integers.push(path);
      if (t.model && !models.includes(t.type)) models.push(t.type);
      if (row.dotN && !t.list)
        warnings.push(`${path}: the page names it ${row.name}.N but types it ${row.type}; taken as a list`);
      const description = plain(row.description.join("\n"));
      const member: RawMember = {
        type: t.type,
        description: { [lang]: description || row.name },
      };
      if (!description) warnings.push(`${path} has no description on the page; its name stands in`);
      if (t.list || row.dotN) member.list = true;
      if (where === "input") member.required = row.required ?? false;
      else if (row.required) member.required = true;
      if (row.example !== undefined) {
        const ex = exampleValue(row.example, member.type, member.list === true, t.model);
        if (ex.ok) member.example = ex.value;
        else if (ex.why) warnings.push(`${path}: the example value ${JSON.stringify(row.example)} ${ex.why}; left out`);
      }
      out[row.name] = member;
    }
    return out;
  };

  const input = members(inputRows, "input");
  const missingRequired = inputRows
    .filter((r) => !["Action", "Version", "Region"].includes(r.name) && r.required === undefined)
    .map((r) => r.name);
  if (missingRequired.length > 0)
    warnings.push(
      `the page does not show whether these input members are required: ${missingRequired.join(", ")}; ` +
        `set required: false (review; api.json's required decides)`,
    );

  // Lifted facts, from the input descriptions.
  for (const [name, m] of Object.entries(input)) {
    if (m.type === "int64" && !m.list) {
      const e = liftIntegerEnum(m.description);
      if (e) {
        m.enum = e;
        const shown = e.map((v) => `${String(v.value)} (${v.description?.[lang] ?? ""})`).join(", ");
        warnings.push(`lifted: input.${name} enum ${shown} from the description`);
      }
    }
    if (m.type === "string") {
      const p = liftPrefixPattern(m.description);
      if (p) {
        m.pattern = p;
        warnings.push(`lifted: input.${name} pattern ${p} from the description`);
      }
    }
  }

  // Section 3: the output table.
  let output: Record<string, RawMember> = {};
  if (sections[3]!.at < 0) warnings.push(`the page has no section "${headingText(lang, 3)}"; output left empty`);
  else {
    const table = findTable(sections[3]!.lines, [INPUT_HEADER_WITHOUT_REQUIRED, INPUT_HEADER_WITH_REQUIRED]);
    if (!table) warnings.push(`section "${headingText(lang, 3)}" has no output parameter table; output left empty`);
    else {
      const rows = parseRows(sections[3]!.lines, table.index + 1, INPUT_HEADER_WITH_REQUIRED.test(table.header));
      output = members(rows, "output");
      for (const [name, m] of Object.entries(output)) {
        const d = m.description[lang] ?? "";
        if (/此字段可能返回\s*null|may return null/i.test(d)) {
          m.nullable = true;
          warnings.push(`lifted: output.${name} nullable from the description ("may return null")`);
        }
      }
    }
  }

  if (integers.length > 0)
    warnings.push(
      `the page says "Integer" for ${integers.join(", ")}: typed int64; the page cannot tell int64 from uint64 ` +
        `(api.json decides)`,
    );

  // Section 1: title, description, rate limit.
  const intro = parseIntro(lines, sections[1]!, lang, warnings);
  let title = intro.title;
  const description = intro.description ?? title ?? actionName;
  if (!intro.description)
    warnings.push(
      `no description found in section "${headingText(lang, 1)}"; ${title ? "the title" : "the action name"} stands in`,
    );
  if (!title || title === actionName) {
    const first = description.split("\n")[0]!;
    warnings.push(
      title
        ? `the page title is the action name ${actionName}; the title is taken from the description: ${first}`
        : `no page title found (the line before "${lang === "zh" ? "最近更新时间" : "Last updated"}"); the title is taken from the description: ${first}`,
    );
    title = first;
  }

  // Section 4: examples.
  let examples: RawExample[] = [];
  if (sections[4]!.at < 0) warnings.push(`the page has no section "${headingText(lang, 4)}": no examples`);
  else {
    examples = parseExamples(sections[4]!.lines, lang, actionName, input, warnings);
    if (examples.length === 0) warnings.push(`section "${headingText(lang, 4)}" has no usable example`);
  }

  // Section 6: error codes. When its heading is missing, the table may still follow the last section found.
  let errors: RawErrorCode[] = [];
  const errorLines =
    sections[6]!.at >= 0 ? sections[6]!.lines : lines.slice(Math.max(...sections.map((s) => s.at)) + 1);
  const errorTable = findTable(errorLines, [ERROR_HEADER]);
  if (!errorTable)
    warnings.push(
      `the page has no error code table ("${lang === "zh" ? "错误码 描述" : "Error Code Description"}"); errors left empty`,
    );
  else {
    errors = parseErrors(errorLines, errorTable.index + 1, lang, warnings);
    if (sections[6]!.at < 0)
      warnings.push(`the page has no heading "${headingText(lang, 6)}"; its error code table was read anyway`);
  }

  warnings.push("idempotent is not stated on the page: decide it and write idempotentReason");

  for (const group of [input, output]) for (const name of Object.keys(group)) group[name] = ordered(group[name]!);

  const spec: RawActionSpec = {
    action: actionName,
    title: { [lang]: title },
    description: { [lang]: description },
    ...(intro.rateLimit !== undefined ? { rateLimitPerSecond: intro.rateLimit } : {}),
    idempotent: false,
    idempotentReason: `${UNREVIEWED} false because a doc page does not say`,
    input,
    output,
    errors,
    ...(examples.length > 0 ? { examples } : {}),
  };
  return { spec, warnings, models, language };
}

/** The member's keys in the order spec files use: the vocabulary's. */
const KEY_ORDER: readonly string[] = MEMBER_KEYS;

function ordered(member: RawMember): RawMember {
  const rank = (k: string) => (KEY_ORDER.includes(k) ? KEY_ORDER.indexOf(k) : KEY_ORDER.length);
  return Object.fromEntries(Object.entries(member).sort(([a], [b]) => rank(a) - rank(b))) as unknown as RawMember;
}

// ---------------------------------------------------------------------------------------------------------------
// Text and sections

function normalize(text: string): string[] {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/\u200b|\u200c|\u200d|\u2060/g, "") // zero-width characters (U+200D joins, so not in a class)
    .replace(/[\u00a0\u2002\u2003\u2009\u3000]/g, " ")
    .split("\n")
    .map((l) => l.replace(/\s+$/, "").replace(/^\s+/, ""));
}

function detectLanguage(lines: string[]): DocPageLanguage {
  const count = (lang: DocPageLanguage) =>
    [1, 2, 3, 4, 5, 6].filter((n) => lines.some((l) => headingPattern(lang, n).test(l))).length;
  const zh = count("zh");
  const en = count("en");
  if (zh === 0 && en === 0)
    throw new Error(
      'not a Tencent Cloud API doc page: none of its section headings was found ("1. 接口描述" / "1. API Description", ' +
        '"2. 输入参数" / "2. Input Parameters", "3. 输出参数" / "3. Output Parameters", "4. 示例" / "4. Example", ' +
        '"6. 错误码" / "6. Error Code")',
    );
  return zh >= en ? "zh" : "en";
}

/** sections[n] for n = 1..6 (index 0 unused): the lines between heading n and the next heading found. */
function splitSections(lines: string[], lang: DocPageLanguage): Section[] {
  const at: number[] = [-1];
  let from = 0;
  for (let n = 1; n <= 6; n++) {
    const p = headingPattern(lang, n);
    const i = lines.findIndex((l, k) => k >= from && p.test(l));
    at.push(i);
    if (i >= 0) from = i + 1;
  }
  return at.map((start, n) => {
    if (n === 0 || start < 0) return { lines: [], at: -1 };
    const next = at.slice(n + 1).find((k) => k > start);
    return { lines: lines.slice(start + 1, next ?? lines.length), at: start };
  });
}

function flat(line: string): string {
  return line.replace(/\|/g, " ").replace(/\s+/g, " ").trim();
}

function findTable(lines: string[], headers: RegExp[]): { index: number; header: string } | undefined {
  for (let i = 0; i < lines.length; i++) {
    const f = flat(lines[i]!);
    if (headers.some((h) => h.test(f))) return { index: i, header: f };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Section 1

function parseIntro(
  lines: string[],
  section: Section,
  lang: DocPageLanguage,
  warnings: string[],
): { title?: string; description?: string; rateLimit?: number } {
  const result: { title?: string; description?: string; rateLimit?: number } = {};
  // The page title: the line before "最近更新时间" / "Last updated", above section 1.
  const end = section.at >= 0 ? section.at : lines.length;
  for (let i = 0; i < end; i++) {
    if (!/^(?:最近更新时间|Last updated)\s*[:：]?/i.test(lines[i]!)) continue;
    for (let k = i - 1; k >= 0; k--) {
      const l = lines[k]!;
      if (l) {
        result.title = l;
        break;
      }
    }
    break;
  }
  if (section.at < 0) {
    warnings.push(`the page has no section "${headingText(lang, 1)}": no description or rate limit`);
    return result;
  }
  const body = section.lines;
  const rateZh = new RegExp(String.raw`接口请求频率限制\s*${COLON}\s*(\d+)\s*次\s*/\s*秒`);
  const rateEn = /A maximum of (\d+) requests can be initiated per second/i;
  const otherRate = /接口请求频率限制|requests can be initiated per/i;
  const stop = (l: string) =>
    otherRate.test(l) ||
    /^(?:推荐使用\s*API Explorer|We recommend (?:you to )?use API Explorer|点击调试|Try it$)/i.test(l);
  const rateLine = body.find((l) => otherRate.test(l));
  const rate = rateLine !== undefined ? (rateZh.exec(rateLine) ?? rateEn.exec(rateLine)) : null;
  if (rate) result.rateLimit = Number(rate[1]);
  else if (rateLine !== undefined)
    warnings.push(`the rate limit is not stated per second: "${rateLine}"; rateLimitPerSecond left out`);
  else warnings.push("the page states no rate limit; rateLimitPerSecond left out");

  const domain = body.findIndex((l) =>
    new RegExp(`^(?:接口请求域名|Domain name for API request)\\s*${COLON}`, "i").test(l),
  );
  const desc: string[] = [];
  for (let i = domain + 1; i < body.length; i++) {
    const l = body[i]!;
    if (stop(l)) break;
    if (l) desc.push(l);
  }
  if (desc.length > 0) result.description = plain(desc.join("\n"));
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Parameter tables

/** A row in pipe form ("Name | Yes | Type | Description |"), or undefined. */
function pipeRow(
  line: string,
  hasRequired: boolean,
): (Omit<Row, "description" | "dotN"> & { description: string }) | undefined {
  if (!line.startsWith("|") && !line.endsWith("|")) return undefined;
  const cells = line
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());
  const [name, ...rest] = cells;
  const required = hasRequired ? rest.shift() : undefined;
  const type = rest.shift();
  if (!name || !type || !new RegExp(`^(?:${NAME})$`).test(name) || !new RegExp(`^(?:${TYPE})$`).test(type))
    return undefined;
  if (required !== undefined && required !== "" && !new RegExp(`^(?:${REQUIRED})$`).test(required)) return undefined;
  return { name, required: required ? isYes(required) : undefined, type, description: rest.join("|").trim() };
}

function isYes(s: string): boolean {
  return s === "Yes" || s === "是";
}

function parseRows(lines: string[], start: number, hasRequired: boolean): Row[] {
  const rows: Row[] = [];
  // When the first row (Action) shows its Required cell, every row has one: a "row" without it is wrapped text.
  let requiredShown: boolean | undefined;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const current = rows[rows.length - 1];
    const ex = EXAMPLE_VALUE.exec(line);
    if (ex && current) {
      current.example = ex[1]!.trim();
      continue;
    }
    let parsed = pipeRow(line, hasRequired);
    if (!parsed) {
      const m = (hasRequired ? ROW_WITH_REQUIRED : ROW_WITHOUT_REQUIRED).exec(line);
      if (m)
        parsed = hasRequired
          ? { name: m[1]!, required: m[2] ? isYes(m[2]) : undefined, type: m[3]!, description: m[4]!.trim() }
          : { name: m[1]!, required: undefined, type: m[2]!, description: m[3]!.trim() };
      if (parsed && hasRequired && requiredShown === true && parsed.required === undefined) parsed = undefined;
    }
    if (parsed) {
      if (requiredShown === undefined && hasRequired) requiredShown = parsed.required !== undefined;
      const dotN = parsed.name.endsWith(".N");
      rows.push({
        ...parsed,
        name: dotN ? parsed.name.slice(0, -2) : parsed.name,
        dotN,
        description: parsed.description ? [parsed.description] : [],
      });
    } else if (current) current.description.push(line);
  }
  return rows;
}

function mapType(pageType: string): { type: string; list: boolean; model: boolean; note?: string } {
  const array = /^Array of (.+)$/.exec(pageType);
  const item = array ? array[1]! : pageType;
  const list = array !== null;
  const primitive = PRIMITIVES[item];
  if (primitive) return { type: primitive, list, model: false };
  if (AS_STRING.has(item))
    return {
      type: "string",
      list,
      model: false,
      note: `the page type ${pageType} has no spec type; typed string (review)`,
    };
  return { type: item, list, model: true };
}

type Example = { ok: true; value: unknown } | { ok: false; why?: string };

function parseLoose(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    try {
      return JSON.parse(raw.replace(/'/g, '"'));
    } catch {
      return undefined;
    }
  }
}

function scalar(value: unknown, raw: string, type: string, model: boolean): Example {
  if (model)
    return value !== null && typeof value === "object"
      ? { ok: true, value }
      : { ok: false, why: "is not a JSON object" };
  switch (type) {
    case "string":
      if (typeof value === "string") return { ok: true, value };
      return { ok: true, value: typeof value === "number" || typeof value === "boolean" ? String(value) : raw };
    case "int64": {
      const s = typeof value === "number" ? String(value) : typeof value === "string" ? value : raw;
      if (!/^-?\d+$/.test(s)) return { ok: false, why: "is not an integer" };
      const n = Number(s);
      return Number.isSafeInteger(n)
        ? { ok: true, value: n }
        : { ok: false, why: "is beyond a safe JavaScript integer" };
    }
    case "float": {
      const n = typeof value === "number" ? value : Number(raw);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, why: "is not a number" };
    }
    case "bool":
      if (typeof value === "boolean") return { ok: true, value };
      if (/^(true|false)$/i.test(raw)) return { ok: true, value: raw.toLowerCase() === "true" };
      return { ok: false, why: "is not true or false" };
    default:
      return { ok: false, why: `does not fit ${type}` };
  }
}

function exampleValue(raw: string, type: string, list: boolean, model: boolean): Example {
  const text = raw.replace(/[。.]$/, (m) => (type === "string" && !list ? m : "")).trim();
  if (text === "" || text === "无" || text === "null" || text === "None") return { ok: false };
  const parsed = parseLoose(text);
  if (list) {
    if (!Array.isArray(parsed)) return { ok: false, why: "is not a list" };
    const values: unknown[] = [];
    for (const item of parsed) {
      const s = scalar(item, typeof item === "string" ? item : JSON.stringify(item), type, model);
      if (!s.ok) return s;
      values.push(s.value);
    }
    return { ok: true, value: values };
  }
  if (type === "string") {
    // Quoted text is the string inside the quotes; anything else is the text itself (`示例值:1` is "1").
    const quoted = /^"(.*)"$|^'(.*)'$/.exec(text);
    return { ok: true, value: quoted ? (typeof parsed === "string" ? parsed : (quoted[1] ?? quoted[2])!) : text };
  }
  return scalar(parsed, text, type, model);
}

// ---------------------------------------------------------------------------------------------------------------
// Section 4

/** The first balanced JSON object in `text`, parsed; undefined when there is none. */
function firstJsonObject(text: string): { value?: unknown; error?: string } | undefined {
  const start = text.indexOf("{");
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) {
        try {
          return { value: JSON.parse(text.slice(start, i + 1)) };
        } catch (e) {
          return { error: (e as Error).message };
        }
      }
    }
  }
  return { error: "the JSON is not closed" };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A GET example's query string (`?Action=X&PhoneNumbers.0=...`) as a request body, typed by the input members. */
function queryRequest(
  text: string,
  input: Record<string, RawMember>,
): { action?: string; request: Record<string, unknown>; unread: string[] } | undefined {
  const pairs = [...text.matchAll(/[?&]([A-Za-z][A-Za-z0-9_.]*)=([^&\s]*)/g)];
  if (pairs.length === 0) return undefined;
  const request: Record<string, unknown> = {};
  const unread: string[] = [];
  let action: string | undefined;
  for (const [, key, rawValue] of pairs) {
    const value = decodeURIComponent(rawValue!);
    if (key === "Action") action = value;
    if (["Action", "Version", "Region"].includes(key!)) continue;
    const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\.(\d+))?$/.exec(key!);
    const member = m ? input[m[1]!] : undefined;
    if (!m || !member || (m[2] !== undefined) !== (member.list === true) || isModelType(member.type)) {
      unread.push(key!);
      continue;
    }
    const s = scalar(parseLoose(value) ?? value, value, member.type, false);
    if (!s.ok) {
      unread.push(key!);
      continue;
    }
    if (m[2] !== undefined) {
      request[m[1]!] ??= [];
      (request[m[1]!] as unknown[])[Number(m[2])] = s.value;
    } else request[m[1]!] = s.value;
  }
  return { ...(action !== undefined ? { action } : {}), request, unread };
}

function isModelType(type: string): boolean {
  return !["string", "int64", "uint64", "float", "bool"].includes(type);
}

function parseExamples(
  lines: string[],
  lang: DocPageLanguage,
  action: string,
  input: Record<string, RawMember>,
  warnings: string[],
): RawExample[] {
  const titleLine = /^(?:示例|Example)\s*(\d+)\s*[:：.．]?\s*(.*)$/i;
  const inputMarker = /^(?:输入示例|Input Example|Request Example)$/i;
  const outputMarker = /^(?:输出示例|Output Example|Response Example)$/i;
  const starts: { at: number; n: number; title: string }[] = [];
  lines.forEach((l, at) => {
    const m = titleLine.exec(l);
    if (m) starts.push({ at, n: Number(m[1]), title: m[2]!.trim() });
  });
  if (starts.length === 0 && lines.some((l) => inputMarker.test(l))) starts.push({ at: -1, n: 1, title: "" });

  const examples: RawExample[] = [];
  starts.forEach((start, k) => {
    const block = lines.slice(start.at + 1, starts[k + 1]?.at ?? lines.length);
    const label = `example ${start.n}`;
    const inAt = block.findIndex((l) => inputMarker.test(l));
    const outAt = block.findIndex((l) => outputMarker.test(l));
    if (inAt < 0 || outAt < inAt) {
      warnings.push(
        `${label} has no "${lang === "zh" ? "输入示例" : "Input Example"}" followed by "${lang === "zh" ? "输出示例" : "Output Example"}"; left out`,
      );
      return;
    }
    const description = block
      .slice(0, inAt)
      .filter((l) => l)
      .join("\n");
    const requestPart = block.slice(inAt + 1, outAt);
    const requestText = requestPart.join("\n");
    const responseText = block.slice(outAt + 1).join("\n");

    let request: Record<string, unknown>;
    let sentAction = requestPart.map((l) => /^X-TC-Action\s*:\s*([A-Za-z][A-Za-z0-9]*)/i.exec(l)?.[1]).find((a) => a);
    const body = firstJsonObject(requestText);
    if (body) {
      if (!isObject(body.value)) {
        warnings.push(`${label}: the request body is not a JSON object (${body.error ?? "not an object"}); left out`);
        return;
      }
      request = body.value;
    } else {
      const query = queryRequest(requestText, input);
      if (!query) {
        // An empty body ("{}" aside) is a request without parameters only when the page shows a POST.
        if (!requestPart.some((l) => /^POST\s/i.test(l))) {
          warnings.push(`${label}: no request body or query string found; left out`);
          return;
        }
        request = {};
      } else {
        request = query.request;
        sentAction ??= query.action;
        warnings.push(`${label} is a GET query string; its parameters were typed by the input table`);
        if (query.unread.length > 0)
          warnings.push(
            `${label}: query parameters not carried over (no matching input member): ${query.unread.join(", ")}`,
          );
      }
    }
    if (sentAction && sentAction !== action)
      warnings.push(`${label} sends X-TC-Action: ${sentAction} but this page documents ${action}`);

    const response = firstJsonObject(responseText);
    if (!response || !isObject(response.value)) {
      warnings.push(
        `${label}: the output example is not a JSON object${response?.error ? ` (${response.error})` : ""}; left out`,
      );
      return;
    }
    const inner = response.value.Response;
    if (!isObject(inner)) {
      warnings.push(`${label}: the output example has no "Response" object; left out`);
      return;
    }
    const fallback = lang === "zh" ? `示例${start.n}` : `Example ${start.n}`;
    examples.push({
      title: { [lang]: start.title || fallback } as RawText,
      ...(description ? { description: { [lang]: description } as RawText } : {}),
      request,
      response: inner,
    });
  });
  return examples;
}

// ---------------------------------------------------------------------------------------------------------------
// Section 6

function parseErrors(lines: string[], start: number, lang: DocPageLanguage, warnings: string[]): RawErrorCode[] {
  const errors: RawErrorCode[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!.replace(/^\|\s*/, "").replace(/\s*\|$/, "");
    if (!line) continue;
    const m = ERROR_ROW.exec(line);
    if (!m) {
      // A description wrapped onto this line when the next non-empty line is a row again; otherwise the table ended
      // and what follows is the page's footer.
      const next = lines.slice(i + 1).find((l) => l);
      const last = errors[errors.length - 1];
      if (last && next !== undefined && ERROR_ROW.test(next.replace(/^\|\s*/, ""))) {
        last.description[lang] = `${last.description[lang]!}\n${line}`;
        continue;
      }
      break;
    }
    const code = m[1]!;
    const description = m[2]!.trim();
    if (errors.some((e) => e.code === code)) {
      warnings.push(`error code ${code} is listed twice; the first row is kept`);
      continue;
    }
    if (!description) warnings.push(`error code ${code} has no description on the page; its code stands in`);
    errors.push({ code, description: { [lang]: description || code } });
  }
  return errors;
}
