/** The one table template of the site: a caption, column headers, rows (the check wants all three shaped so). */
import { type Html, html } from "./html.js";

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
