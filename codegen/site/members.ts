/** The members tables of action and model pages: type, presence, rules, enum values and their meaning. */
import { constraintTexts } from "../../src/cli/help.js";
import type { EnumValue, Member } from "../ir.js";
import { type Html, html } from "./html.js";
import { dataTable } from "./table.js";
import { bi, prose, ui } from "./text.js";

/** Input members are sent (required or not); output members are read (always present, or not). */
export type MembersSide = "input" | "output" | "model";

/** `string`, `list of int64`, or a link to the model's page. */
function typeCell(m: Member, root: string): Html {
  const name =
    m.type.kind === "model"
      ? html`<a href="${root}models/${m.type.name}.html"><code>${m.type.name}</code></a>`
      : html`<code>${m.type.name}</code>`;
  return m.list ? html`${ui("列表：", "list of ")}${name}` : name;
}

function presence(m: Member, side: MembersSide): Html {
  if (side === "input" || side === "model")
    return m.required ? html`<span class="badge required">${ui("必填", "required")}</span>` : ui("可选", "optional");
  const always = m.required ? ui("总是返回", "always") : ui("可能没有", "may be absent");
  return m.nullable ? html`${always}${ui("，可能为 null", ", may be null")}` : always;
}

function enumList(values: readonly EnumValue[]): Html {
  return html`<ul class="enum">
    ${values.map(
      (v) =>
        html`<li>
          <code>${JSON.stringify(v.value)}</code>${v.name ? html` <strong>${v.name}</strong>` : ""}${
            v.description ? html` — ${bi(v.description)}` : ""
          }
        </li>`,
    )}
  </ul>`;
}

function rulesCell(m: Member): Html {
  const rules = constraintTexts(m);
  return html`${m.enum?.length ? html`${ui("取值之一：", "one of:")}${enumList(m.enum)}` : ""}${
    rules.length
      ? html`<ul class="enum">
          ${rules.map((r) => html`<li>${r}</li>`)}
        </ul>`
      : ""
  }`;
}

function descriptionCell(m: Member): Html {
  return html`<td class="desc">
    ${
      m.deprecated ? html`<span class="badge deprecated">${ui("已弃用", "deprecated")}</span> ` : ""
    }${bi(m.description, prose)}${
      m.example !== undefined
        ? html`<br /><span class="muted">${ui("示例：", "Example:")} <code>${JSON.stringify(m.example)}</code></span>`
        : ""
    }
  </td>`;
}

/** A table of members, each row anchored (`#input-PhoneNumbers`) so errors and other pages can point at it. */
export function membersTable(members: readonly Member[], side: MembersSide, root: string, caption: Html): Html {
  if (!members.length) return html`<p class="muted">${ui("无。", "None.")}</p>`;
  const presenceHead = side === "output" ? ui("返回", "Present") : ui("必填", "Required");
  const headers = [
    ui("名称", "Name"),
    ui("类型", "Type"),
    presenceHead,
    ui("规则", "Rules"),
    ui("描述", "Description"),
  ];
  return dataTable(
    caption,
    headers,
    members.map(
      (m) =>
        html`<tr id="${side}-${m.name}">
          <th scope="row"><code>${m.name}</code></th>
          <td>${typeCell(m, root)}</td>
          <td>${presence(m, side)}</td>
          <td>${rulesCell(m)}</td>
          ${descriptionCell(m)}
        </tr> `,
    ),
  );
}
