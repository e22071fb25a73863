/** Text on the site: both languages of a spec text, the site's own labels, and prose with links and code. */
import type { Text } from "../ir.js";
import { type Html, html, type Part } from "./html.js";

/**
 * A text in both languages: two spans the language switch shows one of (both show without the script). A text
 * with one language, or the same words in both, is one span shown whatever the switch says.
 */
export function bi(text: Text | undefined, render: (s: string) => Part = (s) => s): Html {
  const zh = text?.zh?.trim();
  const en = text?.en?.trim();
  if (zh && en && zh !== en)
    return html`<span class="t-zh" lang="zh-CN">${render(zh)}</span><span class="t-en" lang="en">${render(en)}</span>`;
  if (zh) return html`<span lang="zh-CN">${render(zh)}</span>`;
  if (en) return html`<span lang="en">${render(en)}</span>`;
  return html``;
}

/** One of the site's own labels, written in both languages. */
export function ui(zh: string, en: string): Html {
  return bi({ zh, en });
}

const PROSE_TOKENS = /(`[^`\n]+`|https?:\/\/[^\s，。；、（）()<>"'`]+[^\s，。；、（）()<>"'`.,;:!?])/g;

/**
 * Plain text with its URLs as links, its `backtick spans` as code and its line breaks kept; everything else
 * escaped. (Line breaks are `<br>` rather than `white-space: pre-line`, so the templates' own layout never shows.)
 */
export function prose(text: string): Html {
  const lines = text.split(/\r\n|\r|\n/);
  return html`${lines.map((l, i) => html`${i ? html`<br />` : ""}${proseLine(l)}`)}`;
}

function proseLine(text: string): Html {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(PROSE_TOKENS)) {
    parts.push(text.slice(last, m.index));
    const token = m[0];
    parts.push(
      token.startsWith("`") ? html`<code>${token.slice(1, -1)}</code>` : html`<a href="${token}">${token}</a>`,
    );
    last = m.index + token.length;
  }
  parts.push(text.slice(last));
  return html`${parts}`;
}

/** Whether two texts say the same (a description that only repeats the title is not printed twice). */
export function sameText(a: Text | undefined, b: Text | undefined): boolean {
  const norm = (s: string | undefined) =>
    (s ?? "")
      .replace(/[\s.。]+$/u, "")
      .trim()
      .toLowerCase();
  return norm(a?.zh) === norm(b?.zh) && norm(a?.en) === norm(b?.en);
}
