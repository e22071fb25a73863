/** The frame of every page: head, header with search and the language switch, footer. */
import type { Service } from "../ir.js";
import { type Html, html } from "./html.js";
import { ui } from "./text.js";

export interface PageFrame {
  /** The `<title>` (plain text). */
  readonly title: string;
  /** The path back to the site's root from the page: `""` or `"../"`. */
  readonly root: string;
  readonly body: Html;
  /** The index's search form is the page's own (the index filters as one types). */
  readonly searchValue?: string;
}

export function page(service: Service, frame: PageFrame): string {
  const r = frame.root;
  return `<!doctype html>\n${html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${frame.title}</title>
      <link rel="icon" href="${r}assets/icon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="${r}assets/site.css" />
      <script src="${r}assets/site.js"></script>
    </head>
    <body>
      <a class="skip" href="#main">${ui("跳到正文", "Skip to content")}</a>
      <header class="site">
        <a class="home" href="${r}index.html">${ui(`${service.title.zh ?? "CCC"} API 参考`, "CCC API reference")}</a>
        <span class="muted">${service.name} ${service.version}</span>
        <form role="search" action="${r}index.html" method="get">
          <label for="q">${ui("搜索", "Search")}</label>
          <input
            id="q"
            name="q"
            type="search"
            autocomplete="off"
            placeholder="DisableCCCPhoneNumber / 停用号码"
            value="${frame.searchValue ?? ""}"
          />
          <button type="submit">${ui("搜索", "Search")}</button>
        </form>
        <button id="lang-switch" type="button" aria-label="切换语言 / Switch language">中文 / English</button>
      </header>
      <main id="main">${frame.body}</main>
      <footer class="muted">
        ${ui(
          "由 ccc-sdk 的 YAML 规格生成（npm run docs）。成员、规则与示例与 SDK 的类型和校验出自同一来源。",
          "Generated from ccc-sdk's YAML specs (npm run docs): members, rules and examples come from the same source as the SDK's types and validation.",
        )}
      </footer>
    </body>
  </html>`}\n`;
}
