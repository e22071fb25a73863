/**
 * HTML by tagged template: every interpolated value is escaped unless it is already `Html` (made by `html` or
 * `raw`), so a description holding `<`, `&` or a quote cannot break a page or inject markup. Arrays are joined,
 * and `undefined`, `null` and `false` print nothing, so conditional parts read as plain expressions.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Part = Html | string | number | bigint | boolean | null | undefined | readonly Part[];

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function print(part: Part): string {
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(print).join("");
  if (part === undefined || part === null || part === false) return "";
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: readonly Part[]): Html {
  let out = strings[0]!;
  parts.forEach((part, i) => {
    out += print(part) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Markup written by the generator itself (never spec text). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** An attribute value: escaped like any text (the templates always quote attributes). */
export function join(parts: readonly Part[], separator: Part): Html {
  return html`${parts.flatMap((p, i) => (i ? [separator, p] : [p]))}`;
}
