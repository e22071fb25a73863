/**
 * The checks `npm run docs` runs on the site before it writes a file: the HTML parses without an error, no internal
 * link is dead (its file exists, its `#fragment` is an id there), and the accessibility basics hold: a language,
 * a title, one h1 and no skipped heading level, a label for every form field, a name for every button and link,
 * captions and header scopes on tables, unique ids, and WCAG AA contrast (4.5:1) for every colour pair of the theme.
 */
import path from "node:path/posix";
import { type DefaultTreeAdapterTypes, parse, type ParserError } from "parse5";
import { contrastRatio, type Palette, TEXT_PAIRS, THEMES } from "./theme.js";

type Element = DefaultTreeAdapterTypes.Element;
type ChildNode = DefaultTreeAdapterTypes.ChildNode;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

export interface SiteProblem {
  /** The site file (`actions/DisableCCCPhoneNumber.html`), or `theme` for a colour pair. */
  readonly file: string;
  /** 1-based, where the parser knows it. */
  readonly line?: number;
  readonly message: string;
}

export function formatProblem(p: SiteProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`;
}

/** WCAG 2.x AA for normal text. */
export const MIN_CONTRAST = 4.5;

const isElement = (n: ChildNode): n is Element => "tagName" in n;

function* elements(node: ParentNode): Generator<Element> {
  for (const child of node.childNodes) {
    if (!isElement(child)) continue;
    yield child;
    yield* elements(child.tagName === "template" ? (child as DefaultTreeAdapterTypes.Template).content : child);
  }
}

function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

/** The text a person (or a screen reader) gets from an element: its text, or its `aria-label`. */
function accessibleText(el: Element): string {
  const own = attr(el, "aria-label") ?? "";
  const text = (n: ParentNode): string =>
    n.childNodes
      .map((c) => ("value" in c && c.nodeName === "#text" ? c.value : isElement(c) ? (attr(c, "alt") ?? text(c)) : ""))
      .join("");
  return `${own}${text(el)}`.trim();
}

interface ParsedPage {
  readonly file: string;
  readonly elements: readonly Element[];
  readonly ids: ReadonlySet<string>;
}

function parsePage(file: string, source: string, problems: SiteProblem[]): ParsedPage {
  const document = parse(source, {
    sourceCodeLocationInfo: true,
    onParseError: (e: ParserError) =>
      problems.push({ file, line: e.startLine, message: `HTML parse error: ${e.code}` }),
  });
  const all = [...elements(document)];
  const ids = new Set<string>();
  for (const el of all) {
    const id = attr(el, "id");
    if (id === undefined) continue;
    if (ids.has(id)) problems.push({ file, line: line(el), message: `the id "${id}" is used twice` });
    ids.add(id);
  }
  return { file, elements: all, ids };
}

const line = (el: Element) => el.sourceCodeLocation?.startLine;

/** Where an element points: a link's or a stylesheet's href, a script's src, a form's action. */
function linkTarget(el: Element): string | undefined {
  const name = { a: "href", link: "href", script: "src", img: "src", form: "action" }[el.tagName];
  return name ? attr(el, name) : undefined;
}

/** Internal links and resources: the file exists in the site and the fragment is an id of it. */
function checkLinks(
  pages: ReadonlyMap<string, ParsedPage>,
  files: ReadonlySet<string>,
  problems: SiteProblem[],
): number {
  let checked = 0;
  for (const pageOf of pages.values()) {
    for (const el of pageOf.elements) {
      const href = linkTarget(el);
      if (href === undefined || /^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // absent, or another site's (not followed here)
      checked++;
      const [beforeHash = "", fragment] = href.split("#", 2) as [string, string | undefined];
      const target = beforeHash.split("?")[0]!;
      const file = target === "" ? pageOf.file : path.normalize(path.join(path.dirname(pageOf.file), target));
      if (!files.has(file)) {
        problems.push({ file: pageOf.file, line: line(el), message: `dead link ${href}: no ${file} in the site` });
        continue;
      }
      if (fragment && !pages.get(file)?.ids.has(decodeURIComponent(fragment)))
        problems.push({
          file: pageOf.file,
          line: line(el),
          message: `dead link ${href}: ${file} has no id "${fragment}"`,
        });
    }
  }
  return checked;
}

function checkHeadings(pageOf: ParsedPage, problems: SiteProblem[]): void {
  const headings = pageOf.elements.filter((el) => /^h[1-6]$/.test(el.tagName));
  const h1s = headings.filter((h) => h.tagName === "h1").length;
  if (h1s !== 1) problems.push({ file: pageOf.file, message: `${h1s} h1 headings; a page needs exactly one` });
  let previous = 0;
  for (const h of headings) {
    const level = Number(h.tagName[1]);
    if (level > previous + 1)
      problems.push({
        file: pageOf.file,
        line: line(h),
        message: `heading h${level} follows h${previous || "(none)"}: a level is skipped`,
      });
    if (!accessibleText(h)) problems.push({ file: pageOf.file, line: line(h), message: `empty h${level}` });
    previous = level;
  }
}

function checkNames(pageOf: ParsedPage, problems: SiteProblem[]): void {
  const labelled = new Set(pageOf.elements.filter((el) => el.tagName === "label").map((el) => attr(el, "for")));
  const html = pageOf.elements.find((el) => el.tagName === "html");
  if (!html || !attr(html, "lang")) problems.push({ file: pageOf.file, message: "<html> has no lang" });
  const title = pageOf.elements.find((el) => el.tagName === "title");
  if (!title || !accessibleText(title)) problems.push({ file: pageOf.file, message: "the page has no <title>" });
  for (const el of pageOf.elements) {
    const at = { file: pageOf.file, line: line(el) };
    const field = ["input", "select", "textarea"].includes(el.tagName) && attr(el, "type") !== "hidden";
    if (field && !attr(el, "aria-label") && !labelled.has(attr(el, "id")))
      problems.push({ ...at, message: `a <${el.tagName}> without a label (no <label for> and no aria-label)` });
    if ((el.tagName === "button" || el.tagName === "a") && !accessibleText(el))
      problems.push({ ...at, message: `a <${el.tagName}> without a name (no text and no aria-label)` });
    if (el.tagName === "img" && attr(el, "alt") === undefined)
      problems.push({ ...at, message: "an <img> without alt" });
    if (
      el.tagName === "table" &&
      !el.childNodes.some((c) => isElement(c) && c.tagName === "caption") &&
      !attr(el, "aria-label")
    )
      problems.push({ ...at, message: "a <table> without a <caption>" });
    if (el.tagName === "th" && !attr(el, "scope")) problems.push({ ...at, message: "a <th> without scope" });
  }
}

function checkContrast(themes: Readonly<Record<string, Palette>>, problems: SiteProblem[]): void {
  for (const [scheme, palette] of Object.entries(themes))
    for (const [fg, bg, where] of TEXT_PAIRS) {
      const ratio = contrastRatio(palette[fg], palette[bg]);
      if (ratio < MIN_CONTRAST)
        problems.push({
          file: "theme",
          message: `${scheme} ${where}: ${fg} ${palette[fg]} on ${bg} ${palette[bg]} has contrast ${ratio.toFixed(2)}:1, below ${MIN_CONTRAST}:1`,
        });
    }
}

export interface SiteCheck {
  readonly problems: readonly SiteProblem[];
  readonly pages: number;
  /** Internal links and resources followed. */
  readonly links: number;
}

/**
 * Checks every `.html` file of `files` (site path → content; the other files are what links may point at) and the
 * colour pairs of `themes`.
 */
export function checkSite(
  files: ReadonlyMap<string, string>,
  themes: Readonly<Record<string, Palette>> = THEMES,
): SiteCheck {
  const problems: SiteProblem[] = [];
  const pages = new Map<string, ParsedPage>();
  for (const [file, source] of files) if (file.endsWith(".html")) pages.set(file, parsePage(file, source, problems));
  const links = checkLinks(pages, new Set(files.keys()), problems);
  for (const p of pages.values()) {
    checkHeadings(p, problems);
    checkNames(p, problems);
  }
  checkContrast(themes, problems);
  return { problems, pages: pages.size, links };
}
