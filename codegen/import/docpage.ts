/**
 * Reads the text of one Tencent Cloud API action page (as a crawler, a stored copy or a browser's "copy all"
 * renders it, zh or en) into a raw action spec. Which part of the page becomes which part of the spec:
 * spec/README.md, "From a doc page to a spec". Text outside those parts (navigation, feedback, "Was this page
 * helpful?") is ignored.
 *
 * Renderings. A part is found by its heading when the page has one, numbered ("2. 输入参数", "2. Input
 * Parameters") or bare ("输入参数"). Stored copies often drop the headings; then the parts are found by what they
 * hold: the first parameter table ("参数名称 必选 类型 描述" / "Parameter Name Required Type Description") is the
 * input, the next one the output, the text from there to the developer resources the examples, the "错误码 描述" /
 * "Error Code Description" table the error codes. Tables are space-separated, or `|` rows (outer pipes and a
 * `---|---` rule line optional); a `|` row is one line unless a line does not close its last cell with a pipe.
 * Examples may come without their title and "输入示例" / "输出示例" markers: then each request line (`POST / HTTP/1.1`,
 * a GET URL) starts one, the prose before it is its description, and the JSON after it its request and answer.
 *
 * Member cells. "示例值：…" / "Example value: …", on its own line or ending the description (where `|` copies put
 * it), is the member's `example`, typed by the member (numbers, booleans, strings; a list from JSON or
 * ['a','b']), and is removed from the description. A description saying the member is deprecated ("(废弃)",
 * "（废弃，使用Callers）", "已废弃", "(Deprecated)", "(obsolete …)", "This parameter is deprecated", "Deprecated:")
 * makes it `deprecated: true`, a lifted fact. The marker stays in the description: api.json's descriptions keep it
 * too (so a merge sees no change of text), and "（废弃，使用Callers）" says what replaces the member.
 *
 * Cut pages. Copies are often cut at a character count, so the text may end inside a table or an example. When it
 * ends inside the input or output table, the table's last row cannot be known whole (a space-separated row may go
 * on over the next lines; a `|` row is whole once its pipe closes it): that row is left out rather than glued onto
 * the row before, and a warning names the table, the last whole member and the row left out. An example the text
 * ends in is left out. An error code table that runs to the end of the text is how many copies end, so it counts as
 * cut only when its last row visibly is (a code without description, a `|` row not closed); a cut inside the last
 * description cannot be seen. The parts after a cut are missing, with a warning each, not an error. `cut` and
 * `complete` in the result say which parts the page shows whole.
 *
 * The page cannot say everything a spec needs, and some crawls lose part of what it does say. Whatever was decided
 * here rather than read is reported in `warnings`, for a person (and api.json, via the merge) to settle:
 * `Integer` is typed int64 (api.json tells int64 from uint64), an empty Required column becomes `required: false`,
 * `idempotent` defaults to false, parts found without their heading. Facts lifted from prose (enums, prefix
 * patterns, nullable outputs, deprecated members) are reported as warnings starting with "lifted:".
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

/** The parts of a page a spec is read from, in the page's order. */
export type DocPagePart = "input" | "output" | "examples" | "errors";

export type DocPageResult = ImportResult<RawActionSpec> & {
  /** Model names the members refer to (in order of first use): their data-structure pages are needed too. */
  models: string[];
  language: DocPageLanguage;
  /**
   * The part the text ends in when the page was cut short: that part and every part after it are incomplete or
   * missing (the warnings say from where). Undefined for a whole page.
   */
  cut?: DocPagePart;
  /**
   * Per part: the page shows it whole, so what the part lacks the page lacks (an error code table the page says is
   * empty counts). What a part that is not complete (cut, or not found) lacks says nothing: a merge keeps its own.
   */
  complete: Record<DocPagePart, boolean>;
};

// ---------------------------------------------------------------------------------------------------------------
// What the lines of a page look like

/** Section titles, by section number 1..6. The en titles also match their plural ("Examples", "Error Codes"). */
const HEADINGS: Record<DocPageLanguage, readonly string[]> = {
  zh: ["接口描述", "输入参数", "输出参数", "示例", "开发者资源", "错误码"],
  en: ["API Description", "Input Parameters", "Output Parameters", "Examples?", "Developer Resources", "Error Codes?"],
};

/** A heading line, numbered ("2. 输入参数") or bare ("输入参数": some copies drop the numbers). */
function headingPattern(lang: DocPageLanguage, section: number): RegExp {
  return new RegExp(`^(?:${section}\\s*[.．、]\\s*)?(?:${HEADINGS[lang][section - 1]!})$`, lang === "en" ? "i" : "");
}

/** How the section titles are written, for messages. */
function headingText(lang: DocPageLanguage, section: number): string {
  return `${section}. ${HEADINGS[lang][section - 1]!.replace("s?", "")}`;
}

const COLON = "[:：]";

// Table headers, compared after pipes are dropped and spaces collapsed (`flat`).
const INPUT_HEADER_WITH_REQUIRED = /^(?:参数名称 必选 类型 描述|Parameter Name Required Type Description)$/i;
const INPUT_HEADER_WITHOUT_REQUIRED = /^(?:参数名称 类型 描述|Parameter Name Type Description)$/i;
const ERROR_HEADER = /^(?:错误码 描述|Error Code Description)$/i;
const INPUT_HEADER_TEXT: Record<DocPageLanguage, string> = {
  zh: "参数名称 必选 类型 描述",
  en: "Parameter Name Required Type Description",
};
const ERROR_HEADER_TEXT: Record<DocPageLanguage, string> = { zh: "错误码 描述", en: "Error Code Description" };

/** The rule line under a `|` table's header: `---|---|`, `| --- | :---: |`. */
const RULE = /^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$/;

const DOMAIN = new RegExp(`^(?:接口请求域名|Domain name for API request)\\s*${COLON}`, "i");
/** Lines only a doc page has, by language: for pages without headings. */
const LANGUAGE_SIGNS: Record<DocPageLanguage, RegExp> = {
  zh: /^(?:参数名称 (?:必选 )?类型 描述|错误码 描述|接口请求域名)/,
  en: /^(?:Parameter Name (?:Required )?Type Description|Error Code Description|Domain name for API request)/i,
};

const NAME = String.raw`[A-Za-z][A-Za-z0-9_]*(?:\.N)?`;
const TYPE = "Array of [A-Za-z][A-Za-z0-9]*|Timestamp ISO8601|[A-Z][A-Za-z0-9]*";
const REQUIRED = "Yes|No|是|否";
const ROW_WITH_REQUIRED = new RegExp(String.raw`^(${NAME})\s+(?:(${REQUIRED})\s+)?(${TYPE})(?=\s|$)\s*(.*)$`);
const ROW_WITHOUT_REQUIRED = new RegExp(String.raw`^(${NAME})\s+(${TYPE})(?=\s|$)\s*(.*)$`);
/**
 * A row cut after its first characters, as the last line of a cut text: its name (group 1), perhaps its Required
 * cell and the start of its type, or a `|` row's first cells.
 */
const CUT_ROW =
  /^\|?\s*([A-Z][A-Za-z0-9_]*)(?:\.N?)?(?:\s*\|.*|(?:\s+(?:Yes|No|是|否))?(?:\s+(?:Array(?: o| of(?: [A-Za-z0-9]*)?)?|[A-Z][A-Za-z0-9]*))?)$/;
/**
 * "示例值：1234" / "Example value: 1234", alone on a line or ending a description (group 1, before it, is
 * description; group 2 the value).
 */
const EXAMPLE_VALUE = new RegExp(
  String.raw`^(.*?)(?<![^\s。.，,；;：:)）])(?:示例值|Example values?)\s*${COLON}\s*(.*)$`,
  "i",
);
/**
 * A description saying the member is deprecated. The zh forms are api.json's ("（废弃）", "（废弃，使用Callers）",
 * "已废弃"); the en ones the pages' ("(deprecated)", "(obsolete one and use callers)", "This parameter is
 * deprecated", "Deprecated:" opening a sentence). "是否已废弃" asks, it does not say.
 */
const DEPRECATED =
  /[（(【[]\s*已?废弃|(?<!是否)已废弃|^废弃|\(\s*(?:deprecated|obsolete)\b|\b(?:is|are|was|has been|have been)\s+(?:now\s+)?deprecated\b|(?:^|[.;:!?]\s+)deprecated\b/im;

/** Error codes: `InternalError`, `InvalidParameter.InvalidPhoneNumber`; a single plain word ("Was ...") is not one. */
const ERROR_ROW =
  /^([A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+|[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)(?:\s*\|\s*|\s+|$)(.*)$/;

const EXAMPLE_TITLE = /^(?:示例|Example)\s*(\d+)\s*[:：.．]?\s*(.*)$/i;
const INPUT_MARKER = /^(?:输入示例|Input Example|Request Example)$/i;
const OUTPUT_MARKER = /^(?:输出示例|Output Example|Response Example)$/i;
/** The line that opens an example's request: `POST / HTTP/1.1`, or a GET URL with its query. */
const REQUEST_LINE = /^(?:(?:POST|GET)\s+\S+(?:\s+HTTP\/[\d.]+)?|https?:\/\/\S*\?Action=\S*)$/i;
/** How Tencent's en example descriptions start: in a copy without example titles, the line after the output table. */
const EXAMPLE_PROSE = /^This example shows\b/i;
/** A line of an example's JSON (or HTTP header block), not of its description. */
const JSON_LINE = /^[{}[\]"]|[{[,]$/;

/** The developer resources part (section 5): its subheadings and boilerplate. */
const RESOURCES =
  /^(?:SDK|API Inspector|命令行工具|Command Line Interface|腾讯云 API 平台|TencentCloud API 3\.0 integrates SDKs\b.*|云 API 3\.0 提供了配套的开发工具集.*)$/i;
const ERROR_INTRO =
  /^(?:以下仅列出了接口业务逻辑相关的错误码|The following only lists the error codes related to the API business logic)/i;
/** The page's word that the action has no error codes of its own. */
const NO_ERROR_CODES = /^(?:该接口暂无业务逻辑相关的错误码|There is no error code related to the API business logic)/i;
/** The feedback widget and what follows it, below the content. */
const FOOTER = /^(?:Was this page helpful\?|本页内容是否解决了您的问题|文档反馈$|Feedback$|Contact Us$|联系我们$)/i;

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

const COMMON_INPUTS = ["Action", "Version", "Region"];

const NO_HEADINGS =
  "the page has no section headings; its parts were found by their table headers (the first parameter table is " +
  "the input, the next the output)";

// ---------------------------------------------------------------------------------------------------------------
// The page being read

interface Page {
  lines: string[];
  lang: DocPageLanguage;
  /** The line of each section's heading, by section number 1..6 (index 0 unused); -1 when absent. */
  headings: number[];
  /** The index of the last line with text. */
  lastText: number;
  warnings: string[];
}

/** Lines [from, to) of the page. */
interface Region {
  from: number;
  to: number;
}

interface Row {
  name: string;
  dotN: boolean;
  /** undefined: the page shows no Required cell for this row. */
  required: boolean | undefined;
  type: string;
  description: string[];
  example?: string;
}

type ParsedRow = Omit<Row, "description" | "dotN"> & { description: string };

interface ParameterTable {
  rows: Row[];
  /** The first line after the table. */
  end: number;
  /** The text ends inside the table (its last row, when not known whole, was left out). */
  runsOut: boolean;
}

/** What the member tables add up to, for the warnings and `models`. */
interface Collected {
  models: string[];
  /** Paths of the members the page types `Integer`. */
  integers: string[];
}

export function parseDocPage(text: string): DocPageResult {
  const lines = normalize(text);
  const lang = detectLanguage(lines);
  const page: Page = { lines, lang, headings: findHeadings(lines, lang), lastText: lastText(lines), warnings: [] };
  const { warnings } = page;
  const collected: Collected = { models: [], integers: [] };
  const complete: Record<DocPagePart, boolean> = { input: false, output: false, examples: false, errors: false };
  let cut: DocPagePart | undefined;

  // The input table, with the Action row, which names the action.
  const inputTable = readInputTable(page);
  const action = actionName(inputTable, lang);
  if (!page.headings.some((h) => h >= 0)) warnings.push(NO_HEADINGS);
  const input = members(inputTable.rows, "input", page, collected);
  reportUnshownRequired(inputTable.rows, warnings);
  liftInputFacts(input, lang, warnings);
  if (inputTable.runsOut) cut = "input";
  else complete.input = true;

  let output: Record<string, RawMember> = {};
  // Where the examples may start when they have no heading: after the output table (or the input table).
  let afterTables = inputTable.end;
  if (cut) warnings.push(cutBefore(lang, "output"));
  else {
    const read = readOutput(page, inputTable.end, collected);
    output = read.output;
    afterTables = read.end ?? afterTables;
    if (read.cut) cut = "output";
    else complete.output = read.complete;
  }

  if (collected.integers.length > 0)
    warnings.push(
      `the page says "Integer" for ${collected.integers.join(", ")}: typed int64; the page cannot tell int64 from ` +
        "uint64 (api.json decides)",
    );

  const intro = parseIntro(page, introRegion(page, inputTable.at));
  const { title, description } = titleAndDescription(page, intro, action);

  let examples: RawExample[] = [];
  let examplesEnd = afterTables;
  if (cut) warnings.push(cutBefore(lang, "examples"));
  else {
    const read = readExamples(page, afterTables, action, input);
    examples = read.examples;
    examplesEnd = read.end;
    if (read.runsOut) cut = "examples";
    else complete.examples = examples.length > 0;
  }

  let errors: RawErrorCode[] = [];
  if (cut) warnings.push(cutBefore(lang, "errors"));
  else {
    const read = readErrors(page, examplesEnd);
    errors = read.errors;
    if (read.cut) cut = "errors";
    else complete.errors = read.complete;
  }

  warnings.push("idempotent is not stated on the page: decide it and write idempotentReason");

  for (const group of [input, output]) for (const name of Object.keys(group)) group[name] = ordered(group[name]!);

  const spec: RawActionSpec = {
    action,
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
  return { spec, warnings, models: collected.models, language: lang, ...(cut ? { cut } : {}), complete };
}

/** The member's keys in the order spec files use: the vocabulary's. */
const KEY_ORDER: readonly string[] = MEMBER_KEYS;

function ordered(member: RawMember): RawMember {
  const rank = (k: string) => (KEY_ORDER.includes(k) ? KEY_ORDER.indexOf(k) : KEY_ORDER.length);
  return Object.fromEntries(Object.entries(member).sort(([a], [b]) => rank(a) - rank(b))) as unknown as RawMember;
}

/** The warning for a part the text ends before. */
function cutBefore(lang: DocPageLanguage, part: Exclude<DocPagePart, "input">): string {
  switch (part) {
    case "output":
      return `the page is cut before its output table ("${headingText(lang, 3)}"); output left empty`;
    case "examples":
      return `the page is cut before its examples ("${headingText(lang, 4)}"): no examples`;
    case "errors":
      return `the page is cut before its error code table ("${ERROR_HEADER_TEXT[lang]}"); errors left empty`;
  }
}

/** The warning for a table the text ends inside. */
function cutInside(table: string, item: "member" | "error code", last: string | undefined, lost?: string): string {
  const where = last ? `after ${item} ${last}` : `before its first ${item}`;
  const leftOut = lost ? `the row of ${lost} is cut off and left out, and ` : "";
  return `the page is cut inside the ${table} ${where}: ${leftOut}any ${item === "member" ? "members" : "codes"} after it are missing`;
}

/** A part read although its heading is missing, on a page that has headings. */
function readWithoutHeading(page: Page, section: number, what: string): void {
  if (page.headings.some((h) => h >= 0))
    page.warnings.push(`the page has no heading "${headingText(page.lang, section)}"; its ${what} read anyway`);
}

// ---------------------------------------------------------------------------------------------------------------
// Text, language and headings

function normalize(text: string): string[] {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/\u200b|\u200c|\u200d|\u2060/g, "") // zero-width characters (U+200D joins, so not in a class)
    .replace(/[\u00a0\u2002\u2003\u2009\u3000]/g, " ")
    .split("\n")
    .map((l) => l.replace(/\s+$/, "").replace(/^\s+/, ""));
}

function lastText(lines: string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]) return i;
  return -1;
}

function detectLanguage(lines: string[]): DocPageLanguage {
  const count = (lang: DocPageLanguage) =>
    [1, 2, 3, 4, 5, 6].filter((n) => lines.some((l) => headingPattern(lang, n).test(l))).length +
    lines.filter((l) => LANGUAGE_SIGNS[lang].test(flat(l))).length;
  const zh = count("zh");
  const en = count("en");
  if (zh === 0 && en === 0)
    throw new Error(
      'not a Tencent Cloud API doc page: none of its section headings was found ("1. 接口描述" / "1. API Description", ' +
        '"2. 输入参数" / "2. Input Parameters", "3. 输出参数" / "3. Output Parameters", "4. 示例" / "4. Example", ' +
        '"6. 错误码" / "6. Error Code"), nor a parameter table ("参数名称 必选 类型 描述" / ' +
        '"Parameter Name Required Type Description")',
    );
  return zh >= en ? "zh" : "en";
}

/** headings[n] for n = 1..6 (index 0 unused): the line of heading n, each searched after the one before. */
function findHeadings(lines: string[], lang: DocPageLanguage): number[] {
  const at: number[] = [-1];
  let from = 0;
  for (let n = 1; n <= 6; n++) {
    const p = headingPattern(lang, n);
    const i = lines.findIndex((l, k) => k >= from && p.test(l));
    at.push(i);
    if (i >= 0) from = i + 1;
  }
  return at;
}

/** The first heading line after `line`, or the end of the text. */
function nextHeading(page: Page, line: number): number {
  return Math.min(...page.headings.filter((h) => h > line), page.lines.length);
}

/** The lines under heading `section`, up to the next heading; undefined when the page lacks the heading. */
function underHeading(page: Page, section: number): Region | undefined {
  const at = page.headings[section]!;
  return at < 0 ? undefined : { from: at + 1, to: nextHeading(page, at) };
}

function findLine(page: Page, region: Region, test: (line: string) => boolean): number {
  for (let i = region.from; i < region.to; i++) if (test(page.lines[i]!)) return i;
  return -1;
}

function flat(line: string): string {
  return line.replace(/\|/g, " ").replace(/\s+/g, " ").trim();
}

function isParameterHeader(line: string): boolean {
  const f = flat(line);
  return INPUT_HEADER_WITH_REQUIRED.test(f) || INPUT_HEADER_WITHOUT_REQUIRED.test(f);
}

function isErrorHeader(line: string): boolean {
  return ERROR_HEADER.test(flat(line));
}

/** A line of the examples part: where a parameter table ends when no heading follows it. */
function isExampleLine(line: string): boolean {
  return (
    EXAMPLE_TITLE.test(line) ||
    INPUT_MARKER.test(line) ||
    OUTPUT_MARKER.test(line) ||
    REQUEST_LINE.test(line) ||
    EXAMPLE_PROSE.test(line)
  );
}

/** A line below the examples: developer resources, the error codes, the footer. */
function isAfterExamples(line: string): boolean {
  return (
    RESOURCES.test(line) ||
    isErrorHeader(line) ||
    ERROR_INTRO.test(line) ||
    NO_ERROR_CODES.test(line) ||
    FOOTER.test(line)
  );
}

/** A line that cannot belong to a parameter table (nor be a row's wrapped text). */
function endsParameterTable(line: string): boolean {
  return isParameterHeader(line) || isExampleLine(line) || isAfterExamples(line);
}

// ---------------------------------------------------------------------------------------------------------------
// Section 1: title, description, rate limit

/** The intro: under heading 1, or (without it) from the domain line to the input table. */
function introRegion(page: Page, inputAt: number): { at: number; body: string[] } | undefined {
  const heading = page.headings[1]!;
  if (heading >= 0) return { at: heading, body: page.lines.slice(heading + 1, nextHeading(page, heading)) };
  const domain = findLine(page, { from: 0, to: inputAt }, (l) => DOMAIN.test(l));
  if (domain < 0) return undefined;
  readWithoutHeading(page, 1, "description was");
  return { at: domain, body: page.lines.slice(domain, Math.min(inputAt, nextHeading(page, domain))) };
}

function parseIntro(
  page: Page,
  intro: { at: number; body: string[] } | undefined,
): { title?: string; description?: string; rateLimit?: number } {
  const { lines, lang, warnings } = page;
  const result: { title?: string; description?: string; rateLimit?: number } = {};
  // The page title: the line before "最近更新时间" / "Last updated", above the intro.
  const end = intro ? intro.at : lines.length;
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
  if (!intro) {
    warnings.push(`the page has no section "${headingText(lang, 1)}": no description or rate limit`);
    return result;
  }
  const { body } = intro;
  const rateZh = new RegExp(String.raw`接口请求频率限制\s*${COLON}\s*(\d+)\s*次\s*/\s*秒`);
  const rateEn = /A maximum of (\d+) requests can be initiated per second/i;
  const otherRate = /接口请求频率限制|requests can be initiated per/i;
  const stop = (l: string) =>
    otherRate.test(l) ||
    /^(?:推荐使用\s*API Explorer|We recommend (?:you to )?use API Explorer|点击调试|Try it$)/i.test(l) ||
    /^(?:以下请求参数列表|The following request parameter list)/i.test(l);
  const rateLine = body.find((l) => otherRate.test(l));
  const rate = rateLine !== undefined ? (rateZh.exec(rateLine) ?? rateEn.exec(rateLine)) : null;
  if (rate) result.rateLimit = Number(rate[1]);
  else if (rateLine !== undefined)
    warnings.push(`the rate limit is not stated per second: "${rateLine}"; rateLimitPerSecond left out`);
  else warnings.push("the page states no rate limit; rateLimitPerSecond left out");

  const domain = body.findIndex((l) => DOMAIN.test(l));
  const desc: string[] = [];
  for (let i = domain + 1; i < body.length; i++) {
    const l = body[i]!;
    if (stop(l)) break;
    if (l) desc.push(l);
  }
  if (desc.length > 0) result.description = plain(desc.join("\n"));
  return result;
}

/** The spec's title and description: the page's, or stand-ins (reported) for what the page lacks. */
function titleAndDescription(
  page: Page,
  intro: { title?: string; description?: string },
  action: string,
): { title: string; description: string } {
  const { lang, warnings } = page;
  const description = intro.description ?? intro.title ?? action;
  if (!intro.description)
    warnings.push(
      `no description found in section "${headingText(lang, 1)}"; ${intro.title ? "the title" : "the action name"} stands in`,
    );
  if (intro.title && intro.title !== action) return { title: intro.title, description };
  const first = description.split("\n")[0]!;
  warnings.push(
    intro.title
      ? `the page title is the action name ${action}; the title is taken from the description: ${first}`
      : `no page title found (the line before "${lang === "zh" ? "最近更新时间" : "Last updated"}"); the title is taken from the description: ${first}`,
  );
  return { title: first, description };
}

// ---------------------------------------------------------------------------------------------------------------
// Sections 2 and 3: the parameter tables

function readInputTable(page: Page): ParameterTable & { at: number } {
  const { lang, headings } = page;
  const under = underHeading(page, 2);
  // Without heading 2 the input table still comes before the output section.
  const laterHeadings = headings.slice(3).filter((h) => h >= 0);
  const region = under ?? { from: Math.max(headings[1]!, 0), to: Math.min(...laterHeadings, page.lines.length) };
  const at = findLine(page, region, isParameterHeader);
  const expected = `expected the header "${INPUT_HEADER_TEXT[lang]}" followed by rows`;
  if (at < 0)
    throw new Error(
      under
        ? `section "${headingText(lang, 2)}" has no input parameter table: ${expected}`
        : `the page has no section "${headingText(lang, 2)}" and no input parameter table: ${expected}`,
    );
  if (!under) readWithoutHeading(page, 2, "input table was");
  return { ...readParameterTable(page, at, under ? region.to : nextHeading(page, at), "input"), at };
}

function actionName(table: ParameterTable, lang: DocPageLanguage): string {
  const row = table.rows.find((r) => r.name === "Action");
  const name =
    row &&
    /(?:本接口取值|The value used for this API)\s*[:：]\s*([A-Za-z][A-Za-z0-9]*)/i.exec(row.description.join(" "))?.[1];
  if (name) return name;
  const shape =
    lang === "zh"
      ? "Action String 公共参数,本接口取值:<Action>"
      : "Action Yes String Common Params. The value used for this API: <Action>";
  throw new Error(
    `the input table has no Action row naming the action ("${shape}")` +
      (table.runsOut ? ": the page is cut inside the input table" : ""),
  );
}

/**
 * The output table: under heading 3, or (without it) the next parameter table after the input. "cut" when the
 * text ends before it.
 */
function readOutputTable(page: Page, inputEnd: number): ParameterTable | "cut" | undefined {
  const { lang, warnings } = page;
  const under = underHeading(page, 3);
  const region = under ?? { from: inputEnd, to: page.lines.length };
  const at = findLine(page, region, isParameterHeader);
  if (at >= 0) {
    if (!under) readWithoutHeading(page, 3, "output table was");
    return readParameterTable(page, at, under ? region.to : nextHeading(page, at), "output");
  }
  if (page.lastText < region.from) {
    warnings.push(cutBefore(lang, "output"));
    return "cut";
  }
  warnings.push(
    under
      ? `section "${headingText(lang, 3)}" has no output parameter table; output left empty`
      : `the page has no section "${headingText(lang, 3)}"; output left empty`,
  );
  return undefined;
}

/** The output members, where the table ends, and whether the page was cut before or inside it. */
function readOutput(
  page: Page,
  inputEnd: number,
  collected: Collected,
): { output: Record<string, RawMember>; end?: number; cut: boolean; complete: boolean } {
  const table = readOutputTable(page, inputEnd);
  if (table === "cut") return { output: {}, cut: true, complete: false };
  if (!table) return { output: {}, cut: false, complete: false };
  const output = members(table.rows, "output", page, collected);
  liftNullable(output, page.lang, page.warnings);
  return { output, end: table.end, cut: table.runsOut, complete: !table.runsOut };
}

function readParameterTable(page: Page, at: number, to: number, which: "input" | "output"): ParameterTable {
  const header = page.lines[at]!;
  const pipe = header.includes("|");
  const read = readRows(page, at + 1, to, INPUT_HEADER_WITH_REQUIRED.test(flat(header)), pipe);
  const runsOut = read.end === page.lines.length;
  if (runsOut) {
    const lost = leaveOutCutRow(read, pipe);
    page.warnings.push(cutInside(`${which} table`, "member", read.rows.at(-1)?.name, lost));
  }
  return { rows: read.rows, end: read.end, runsOut };
}

/** The last line a table took, and as what: it decides what a cut left whole. */
interface LastLine {
  text: string;
  as: "row" | "text" | "example" | "fragment";
  /** A `|` line that ends with its pipe: the row's last cell is closed. */
  closed: boolean;
}

interface RowsRead {
  rows: Row[];
  /** The first line after the table. */
  end: number;
  last?: LastLine;
}

/**
 * The rows of a table from `start` until `to` or a line that cannot be part of it. A line that is not a row is
 * the wrapped text (or "示例值" line) of the row before; in a `|` table only while that row's last cell is open.
 */
function readRows(page: Page, start: number, to: number, hasRequired: boolean, pipe: boolean): RowsRead {
  const { lines } = page;
  const rows: Row[] = [];
  // When the first row (Action) shows its Required cell, every row has one: a "row" without it is wrapped text.
  let requiredShown: boolean | undefined;
  let last: LastLine | undefined;
  let i = start;
  for (; i < to; i++) {
    const line = lines[i]!;
    if (!line || RULE.test(line)) continue;
    if (endsParameterTable(line)) break;
    const parsed = parseRow(line, hasRequired, requiredShown);
    if (parsed) {
      if (requiredShown === undefined && hasRequired) requiredShown = parsed.required !== undefined;
      rows.push(newRow(parsed));
      last = { text: line, as: "row", closed: line.endsWith("|") };
      continue;
    }
    if (i === page.lastText && CUT_ROW.test(line)) {
      // The text ends a few characters into a new row: that is no wrapped text of the row before.
      last = { text: line, as: "fragment", closed: false };
      continue;
    }
    const current = rows[rows.length - 1];
    if (!current) continue; // text between the header and the first row
    if (pipe && last?.closed) break; // after a closed `|` row, a line that is not a row ends the table
    last = { text: line, as: addText(current, line.replace(/\s*\|$/, "")), closed: pipe && line.endsWith("|") };
  }
  return { rows, end: i, ...(last ? { last } : {}) };
}

/**
 * The text ended inside the table: leaves out its last row unless it is known whole (a closed `|` row), and
 * returns the name of what was left out.
 */
function leaveOutCutRow(read: RowsRead, pipe: boolean): string | undefined {
  const { rows, last } = read;
  if (!last) return undefined;
  if (last.as === "fragment") return CUT_ROW.exec(last.text)![1];
  if (pipe && last.closed) return undefined;
  return rows.pop()?.name;
}

function parseRow(line: string, hasRequired: boolean, requiredShown: boolean | undefined): ParsedRow | undefined {
  const piped = pipeRow(line, hasRequired);
  if (piped) return piped;
  const m = (hasRequired ? ROW_WITH_REQUIRED : ROW_WITHOUT_REQUIRED).exec(line);
  if (!m) return undefined;
  const parsed = hasRequired
    ? { name: m[1]!, required: m[2] ? isYes(m[2]) : undefined, type: m[3]!, description: m[4]!.trim() }
    : { name: m[1]!, required: undefined, type: m[2]!, description: m[3]!.trim() };
  return hasRequired && requiredShown === true && parsed.required === undefined ? undefined : parsed;
}

/** A row in pipe form ("Name | Yes | Type | Description |", outer pipes optional), or undefined. */
function pipeRow(line: string, hasRequired: boolean): ParsedRow | undefined {
  if (!line.includes("|")) return undefined;
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

function newRow(parsed: ParsedRow): Row {
  const dotN = parsed.name.endsWith(".N");
  const row: Row = { ...parsed, name: dotN ? parsed.name.slice(0, -2) : parsed.name, dotN, description: [] };
  if (parsed.description) addText(row, parsed.description);
  return row;
}

/** Adds a piece of a row's description, its example value split off; says which it held. */
function addText(row: Row, text: string): "text" | "example" {
  const m = EXAMPLE_VALUE.exec(text);
  if (!m) {
    row.description.push(text);
    return "text";
  }
  const before = m[1]!.trim();
  if (before) row.description.push(before);
  row.example = m[2]!.trim();
  return "example";
}

/** The rows as spec members (Action, Version, Region and RequestId skipped: the client adds them). */
function members(rows: Row[], where: "input" | "output", page: Page, collected: Collected): Record<string, RawMember> {
  const { lang, warnings } = page;
  const out: Record<string, RawMember> = {};
  for (const row of rows) {
    if (where === "input" && COMMON_INPUTS.includes(row.name)) continue;
    if (where === "output" && row.name === "RequestId") continue;
    const path = `${where}.${row.name}`;
    if (Object.hasOwn(out, row.name)) {
      warnings.push(`${path} is listed twice on the page; the first row is kept`);
      continue;
    }
    const t = mapType(row.type);
    if (t.note) warnings.push(`${path}: ${t.note}`);
    if (row.type === "Integer" || row.type === "Array of Integer") collected.integers.push(path);
    if (t.model && !collected.models.includes(t.type)) collected.models.push(t.type);
    if (row.dotN && !t.list)
      warnings.push(`${path}: the page names it ${row.name}.N but types it ${row.type}; taken as a list`);
    const description = plain(row.description.join("\n"));
    const member: RawMember = { type: t.type, description: { [lang]: description || row.name } };
    if (!description) warnings.push(`${path} has no description on the page; its name stands in`);
    if (t.list || row.dotN) member.list = true;
    if (where === "input") member.required = row.required ?? false;
    else if (row.required) member.required = true;
    const marker = deprecationMarker(description);
    if (marker) {
      member.deprecated = true;
      warnings.push(`lifted: ${path} deprecated from the description ("${marker}")`);
    }
    if (row.example !== undefined) {
      const ex = exampleValue(row.example, member.type, member.list === true, t.model);
      if (ex.ok) member.example = ex.value;
      else if (ex.why) warnings.push(`${path}: the example value ${JSON.stringify(row.example)} ${ex.why}; left out`);
    }
    out[row.name] = member;
  }
  return out;
}

/** The words of a description that say the member is deprecated ("废弃", "obsolete", "is deprecated"), if any. */
function deprecationMarker(description: string): string | undefined {
  const m = DEPRECATED.exec(description);
  return m ? m[0].replace(/^[\s(（【[.;:!?]+/, "") : undefined;
}

function reportUnshownRequired(rows: Row[], warnings: string[]): void {
  const unshown = rows.filter((r) => !COMMON_INPUTS.includes(r.name) && r.required === undefined).map((r) => r.name);
  if (unshown.length > 0)
    warnings.push(
      `the page does not show whether these input members are required: ${unshown.join(", ")}; ` +
        `set required: false (review; api.json's required decides)`,
    );
}

/** Enums and prefix patterns the input descriptions state in prose. */
function liftInputFacts(input: Record<string, RawMember>, lang: DocPageLanguage, warnings: string[]): void {
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
}

function liftNullable(output: Record<string, RawMember>, lang: DocPageLanguage, warnings: string[]): void {
  for (const [name, m] of Object.entries(output)) {
    if (/此字段可能返回\s*null|may return null/i.test(m.description[lang] ?? "")) {
      m.nullable = true;
      warnings.push(`lifted: output.${name} nullable from the description ("may return null")`);
    }
  }
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
// Section 4: examples

/** The examples: under heading 4, or (without it) after the tables; up to what follows them on a page. */
function examplesRegion(page: Page, afterTables: number): Region {
  const heading = page.headings[4]!;
  const from = heading >= 0 ? heading + 1 : afterTables;
  const below = findLine(page, { from, to: page.lines.length }, isAfterExamples);
  return { from, to: Math.min(nextHeading(page, from - 1), below < 0 ? page.lines.length : below) };
}

function isExampleStart(line: string): boolean {
  return EXAMPLE_TITLE.test(line) || INPUT_MARKER.test(line) || REQUEST_LINE.test(line);
}

function readExamples(
  page: Page,
  afterTables: number,
  action: string,
  input: Record<string, RawMember>,
): { examples: RawExample[]; end: number; runsOut: boolean } {
  const { lang, warnings } = page;
  const region = examplesRegion(page, afterTables);
  const runsOut = region.to === page.lines.length;
  const lines = page.lines.slice(region.from, region.to);
  const headed = page.headings[4]! >= 0;
  if (!lines.some(isExampleStart)) {
    if (runsOut) warnings.push(cutBefore(lang, "examples"));
    else if (headed) warnings.push(`section "${headingText(lang, 4)}" has no usable example`);
    else warnings.push(`the page has no section "${headingText(lang, 4)}": no examples`);
    return { examples: [], end: region.to, runsOut };
  }
  if (!headed) readWithoutHeading(page, 4, "examples were");
  const examples = parseExamples(page, lines, action, input, runsOut);
  if (examples.length === 0 && !runsOut) warnings.push(`section "${headingText(lang, 4)}" has no usable example`);
  return { examples, end: region.to, runsOut };
}

interface ExampleBlock {
  n: number;
  /** "" when the page shows none. */
  title: string;
  lines: string[];
}

/** The lines of each example: after its "示例1 …" / "Example1 …" title, or around its request line. */
function exampleBlocks(lines: string[]): ExampleBlock[] {
  const titled: { at: number; n: number; title: string }[] = [];
  lines.forEach((l, at) => {
    const m = EXAMPLE_TITLE.exec(l);
    if (m) titled.push({ at, n: Number(m[1]), title: m[2]!.trim() });
  });
  if (titled.length > 0)
    return titled.map((t, k) => ({
      n: t.n,
      title: t.title,
      lines: lines.slice(t.at + 1, titled[k + 1]?.at ?? lines.length),
    }));
  if (lines.some((l) => INPUT_MARKER.test(l))) return [{ n: 1, title: "", lines }];
  // Neither titles nor markers (a stored copy): each request line opens an example, the prose above it included.
  const requests = lines.flatMap((l, at) => (REQUEST_LINE.test(l) ? [at] : []));
  const starts = requests.map((at, k) => proseStart(lines, at, requests[k - 1] ?? -1));
  return starts.map((from, k) => ({ n: k + 1, title: "", lines: lines.slice(from, starts[k + 1] ?? lines.length) }));
}

/** Where the prose right above line `at` starts: it stops at the JSON of the example before (above `floor`). */
function proseStart(lines: string[], at: number, floor: number): number {
  let start = at;
  for (let k = at - 1; k > floor && !JSON_LINE.test(lines[k]!); k--) start = k;
  return start;
}

function parseExamples(
  page: Page,
  lines: string[],
  action: string,
  input: Record<string, RawMember>,
  runsOut: boolean,
): RawExample[] {
  const examples: RawExample[] = [];
  const blocks = exampleBlocks(lines);
  blocks.forEach((block, k) => {
    const endsText = runsOut && k === blocks.length - 1;
    const got = readExample(block, page, action, input);
    if (typeof got === "string") {
      // The text ends in this example: what is wrong with it is that the rest is missing.
      const named = block.title ? ` (${block.title})` : "";
      page.warnings.push(endsText ? `the page is cut inside example ${block.n}${named}: it is left out` : got);
      return;
    }
    examples.push(got);
    if (endsText) page.warnings.push(`the page is cut after example ${block.n}: any later examples are missing`);
  });
  return examples;
}

/** An example, or the warning saying why it is left out. */
function readExample(
  block: ExampleBlock,
  page: Page,
  action: string,
  input: Record<string, RawMember>,
): RawExample | string {
  const { lang, warnings } = page;
  const label = `example ${block.n}`;
  const parts = exampleParts(block.lines, lang);
  if (typeof parts === "string") return `${label} ${parts}; left out`;

  let request: Record<string, unknown>;
  const requestText = parts.request.join("\n");
  let sentAction = parts.request.map((l) => /^X-TC-Action\s*:\s*([A-Za-z][A-Za-z0-9]*)/i.exec(l)?.[1]).find((a) => a);
  const body = firstJsonObject(requestText);
  if (body) {
    if (!isObject(body.value))
      return `${label}: the request body is not a JSON object (${body.error ?? "not an object"}); left out`;
    request = body.value;
  } else {
    const query = queryRequest(requestText, input);
    if (!query) {
      // An empty body ("{}" aside) is a request without parameters only when the page shows a POST.
      if (!parts.request.some((l) => /^POST\s/i.test(l)))
        return `${label}: no request body or query string found; left out`;
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

  const response = firstJsonObject(parts.response);
  if (!response || !isObject(response.value))
    return `${label}: the output example is not a JSON object${response?.error ? ` (${response.error})` : ""}; left out`;
  const inner = response.value.Response;
  if (!isObject(inner)) return `${label}: the output example has no "Response" object; left out`;
  const fallback = lang === "zh" ? `示例${block.n}` : `Example ${block.n}`;
  if (!block.title) warnings.push(`${label} has no title on the page; titled "${fallback}"`);
  const description = parts.description.filter((l) => l).join("\n");
  return {
    title: { [lang]: block.title || fallback } as RawText,
    ...(description ? { description: { [lang]: description } as RawText } : {}),
    request,
    response: inner,
  };
}

interface ExampleParts {
  description: string[];
  /** The request's lines: request line, headers, body or query. */
  request: string[];
  response: string;
}

/** An example's description, request and answer; or what it lacks. */
function exampleParts(lines: string[], lang: DocPageLanguage): ExampleParts | string {
  const inAt = lines.findIndex((l) => INPUT_MARKER.test(l));
  const outAt = lines.findIndex((l) => OUTPUT_MARKER.test(l));
  const noMarkers = `has no "${lang === "zh" ? "输入示例" : "Input Example"}" followed by "${lang === "zh" ? "输出示例" : "Output Example"}"`;
  if (inAt >= 0 || outAt >= 0) {
    if (inAt < 0 || outAt < inAt) return noMarkers;
    return {
      description: lines.slice(0, inAt),
      request: lines.slice(inAt + 1, outAt),
      response: lines.slice(outAt + 1).join("\n"),
    };
  }
  // Without the markers: the request line, its body (POST) or query (GET), then the answer's JSON.
  const requestAt = lines.findIndex((l) => REQUEST_LINE.test(l));
  if (requestAt < 0) return noMarkers;
  const rest = lines.slice(requestAt);
  const answerAt = /^POST\s/i.test(rest[0]!) ? lineAfterFirstJson(rest) : rest.findIndex((l) => l.startsWith("{"));
  if (answerAt < 0) return "has no output example after its request";
  return {
    description: lines.slice(0, requestAt),
    request: rest.slice(0, answerAt),
    response: rest.slice(answerAt).join("\n"),
  };
}

/** The index of the line after the one that closes the first JSON object; -1 when none is closed. */
function lineAfterFirstJson(lines: string[]): number {
  const text = lines.join("\n");
  const end = firstJsonObject(text)?.end;
  return end === undefined ? -1 : text.slice(0, end).split("\n").length;
}

/** The first balanced JSON object in `text`, parsed, and where it ends; undefined when there is none. */
function firstJsonObject(text: string): { value?: unknown; error?: string; end?: number } | undefined {
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
          return { value: JSON.parse(text.slice(start, i + 1)), end: i + 1 };
        } catch (e) {
          return { error: (e as Error).message, end: i + 1 };
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
    if (COMMON_INPUTS.includes(key!)) continue;
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

// ---------------------------------------------------------------------------------------------------------------
// Section 6: error codes

/**
 * The error codes: the table under heading 6, or (without it) the first one after the examples. No table is
 * fine when the page says the action has none; when nothing (not even the footer) follows, the page was cut.
 */
function readErrors(page: Page, afterExamples: number): { errors: RawErrorCode[]; complete: boolean; cut: boolean } {
  const { lang, warnings } = page;
  const under = underHeading(page, 6);
  const region = under ?? { from: afterExamples, to: page.lines.length };
  const at = findLine(page, region, isErrorHeader);
  if (at < 0) {
    if (findLine(page, region, (l) => NO_ERROR_CODES.test(l)) >= 0) return { errors: [], complete: true, cut: false };
    const footer = findLine(page, region, (l) => FOOTER.test(l)) >= 0;
    warnings.push(
      footer
        ? `the page has no error code table ("${ERROR_HEADER_TEXT[lang]}"); errors left empty`
        : cutBefore(lang, "errors"),
    );
    return { errors: [], complete: false, cut: !footer };
  }
  const table = readErrorTable(page, at, region.to);
  if (!under) readWithoutHeading(page, 6, "error code table was");
  return { errors: table.codes, complete: !table.cut, cut: table.cut };
}

function readErrorTable(page: Page, at: number, to: number): { codes: RawErrorCode[]; cut: boolean } {
  const { lines, lang, warnings } = page;
  const pipe = lines[at]!.includes("|");
  const codes: RawErrorCode[] = [];
  const row = (l: string) => l.replace(/^\|\s*/, "").replace(/\s*\|$/, "");
  let lastRow = "";
  let i = at + 1;
  for (; i < to; i++) {
    const raw = lines[i]!;
    if (!raw || RULE.test(raw)) continue;
    const line = row(raw);
    const m = ERROR_ROW.exec(line);
    if (!m) {
      // A description wrapped onto this line when the next non-empty line is a row again; otherwise the table ended
      // and what follows is the page's footer.
      const next = lines.slice(i + 1, to).find((l) => l);
      const last = codes[codes.length - 1];
      if (last && next !== undefined && ERROR_ROW.test(row(next))) {
        last.description[lang] = last.description[lang] ? `${last.description[lang]}\n${line}` : line;
        continue;
      }
      break;
    }
    const code = m[1]!;
    if (codes.some((e) => e.code === code)) {
      warnings.push(`error code ${code} is listed twice; the first row is kept`);
      continue;
    }
    codes.push({ code, description: { [lang]: m[2]!.trim() } });
    lastRow = raw;
  }
  const lost = i === lines.length ? leaveOutCutCode(codes, lastRow, pipe, lang) : undefined;
  if (lost) warnings.push(cutInside("error code table", "error code", codes.at(-1)?.code, lost));
  for (const e of codes)
    if (!e.description[lang]) {
      warnings.push(`error code ${e.code} has no description on the page; its code stands in`);
      e.description[lang] = e.code;
    }
  return { codes, cut: lost !== undefined };
}

/**
 * The text ends in the error code table: its last row is left out when it visibly is cut (a `|` row not closed, a
 * code without description); returns that code.
 */
function leaveOutCutCode(
  codes: RawErrorCode[],
  lastRow: string,
  pipe: boolean,
  lang: DocPageLanguage,
): string | undefined {
  const last = codes.at(-1);
  if (!last) return undefined;
  const cut = pipe ? !lastRow.endsWith("|") : !last.description[lang];
  return cut ? codes.pop()!.code : undefined;
}
