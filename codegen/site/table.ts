/**
 * The site's table template (a caption, column headers, rows: the site check wants all three) and the error codes
 * table of action pages and the common errors page.
 */
import type { ErrorCode } from "../ir.js";
import { type Html, html } from "./html.js";
import { bi, prose, ui } from "./text.js";

/** A scrollable table with its caption and column headers (`scope="col"`); `rows` are `<tr>`s. */
export function dataTable(caption: Html, headers: readonly Html[], rows: readonly Html[]): Html {
  return html`<div class="table-wrap">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${headers.map((h) => html`<th scope="col">${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}

/**
 * A table of error codes: code, description, and what the SDK does on it (`retried`: a badge, or plain text). The
 * row's id, when given, is the code (the common errors page links each).
 */
export function errorTable(
  caption: Html,
  codes: readonly ErrorCode[],
  retried: (code: ErrorCode) => Html,
  anchored = false,
): Html {
  return dataTable(
    caption,
    [ui("错误码", "Code"), ui("描述", "Description"), ui("SDK 会重试", "Retried")],
    codes.map(
      (e) =>
        html`<tr ${anchored ? html`id="${e.code}"` : ""}>
          <th scope="row"><code>${e.code}</code></th>
          <td class="desc">${bi(e.description, prose)}</td>
          <td>${retried(e)}</td>
        </tr> `,
    ),
  );
}
