/** The index (groups, search), a model's page (members, where it is used) and the common error codes. */
import { apiErrorRetryable } from "../../src/retry.js";
import type { Action, ErrorCode, Member, Model, Service } from "../ir.js";
import { type Html, html } from "./html.js";
import { page } from "./layout.js";
import { membersTable } from "./members.js";
import { errorTable } from "./table.js";
import { bi, prose, ui } from "./text.js";

/** What a search matches: the name, the method, both titles. */
function searchText(parts: readonly (string | undefined)[]): string {
  return parts.filter(Boolean).join(" ").toLowerCase();
}

function actionEntry(a: Action): Html {
  return html`<li data-search="${searchText([a.name, a.methodName, a.title.zh, a.title.en])}">
    <a href="actions/${a.name}.html"><code>${a.name}</code></a> —
    ${bi(a.title)}${a.deprecated ? html` <span class="badge deprecated">${ui("已弃用", "deprecated")}</span>` : ""}
  </li>`;
}

function modelEntry(m: Model): Html {
  return html`<li data-search="${searchText([m.name, m.description.zh, m.description.en])}">
    <a href="models/${m.name}.html"><code>${m.name}</code></a>
  </li>`;
}

export function indexPage(service: Service): string {
  const byName = new Map(service.actions.map((a) => [a.name, a]));
  const body = html`<h1>
      ${ui(`${service.title.zh ?? "云联络中心"} API 参考`, `${service.title.en ?? "CCC"} API reference`)}
    </h1>
    <p>${bi(service.description)}</p>
    <p>
      ${ui(
        `API ${service.version}：${service.actions.length} 个接口，${service.models.length} 个数据结构。`,
        `API ${service.version}: ${service.actions.length} actions and ${service.models.length} models.`,
      )} <a href="errors.html">${ui("公共错误码", "Common error codes")}</a> ·
      <a href="#models">${ui("数据结构", "Models")}</a>
    </p>
    <p id="search-status" role="status" aria-live="polite"></p>
    <nav aria-label="Groups">
      <ul>
        ${service.groups.map((g) => html`<li><a href="#${g.id}">${bi(g.title)}</a> (${g.actions.length})</li>`)}
      </ul>
    </nav>
    ${service.groups.map(
      (g) =>
        html`<section class="group" aria-labelledby="${g.id}">
          <h2 id="${g.id}">${bi(g.title)}</h2>
          <ul>
            ${g.actions.map((n) => actionEntry(byName.get(n)!))}
          </ul>
        </section> `,
    )}
    <section class="group" aria-labelledby="models">
      <h2 id="models">${ui("数据结构", "Models")}</h2>
      <ul>
        ${service.models.map(modelEntry)}
      </ul>
    </section>`;
  return page(service, { title: `${service.title.en ?? service.name} API reference`, root: "", body });
}

/** Where each model is used: the actions and models with a member of its type. */
export function modelUses(service: Service): Map<string, { actions: Set<string>; models: Set<string> }> {
  const uses = new Map(service.models.map((m) => [m.name, { actions: new Set<string>(), models: new Set<string>() }]));
  const note = (members: readonly Member[], add: (use: { actions: Set<string>; models: Set<string> }) => void) => {
    for (const m of members) if (m.type.kind === "model") add(uses.get(m.type.name)!);
  };
  for (const a of service.actions) note([...a.input, ...a.output], (u) => u.actions.add(a.name));
  for (const m of service.models) note(m.members, (u) => u.models.add(m.name));
  return uses;
}

export function modelPage(
  service: Service,
  model: Model,
  uses: { readonly actions: ReadonlySet<string>; readonly models: ReadonlySet<string> },
): string {
  const links = (names: ReadonlySet<string>, folder: string) =>
    html`<ul>
      ${[...names].sort().map(
        (n) =>
          html`<li>
            <a href="../${folder}/${n}.html"><code>${n}</code></a>
          </li>`,
      )}
    </ul>`;
  const body = html`<p class="muted">
      <a href="../index.html">${ui("全部接口", "All actions")}</a> ›
      <a href="../index.html#models">${ui("数据结构", "Models")}</a>
    </p>
    <h1>${model.name}</h1>
    <p class="desc">${bi(model.description, prose)}</p>
    <h2 id="members">${ui("成员", "Members")}</h2>
    <p class="muted">
      ${ui(
        "“必填”指作为输入时必须提供；作为输出时表示总会返回。",
        "Required: must be sent when the model is an input; always present when it is an answer.",
      )}
    </p>
    ${membersTable(model.members, "model", "../", ui(`${model.name} 的成员`, `Members of ${model.name}`))}
    <h2 id="used-by">${ui("使用它的接口", "Used by")}</h2>
    ${uses.actions.size ? links(uses.actions, "actions") : html`<p>${ui("没有接口直接使用。", "No action uses it directly.")}</p>`}
    ${
      uses.models.size
        ? html`<h3 id="used-by-models">${ui("包含它的数据结构", "Models holding it")}</h3>
            ${links(uses.models, "models")}`
        : ""
    }
    <p class="muted">${ui("规格文件：", "Spec: ")}<code>spec/${model.source}</code></p>`;
  return page(service, { title: `${model.name} · ${service.title.en ?? service.name} API`, root: "../", body });
}

/** A common code is retried always, for idempotent actions only, or never (src/retry.ts decides). */
function commonRetried(e: ErrorCode): Html {
  if (apiErrorRetryable(e.retry, false)) return html`<span class="badge yes">${ui("总是", "always")}</span>`;
  return apiErrorRetryable(e.retry, true) ? ui("仅幂等接口", "idempotent actions") : ui("否", "no");
}

export function errorsPage(service: Service): string {
  const body = html`<h1>${ui("公共错误码", "Common error codes")}</h1>
    <p>
      ${ui(
        "任何接口都可能返回这些错误码。“SDK 会重试”一栏：总是，或仅对幂等接口。",
        "Any action may answer these codes. Retried: always, or only for idempotent actions.",
      )}
    </p>
    ${errorTable(ui("公共错误码", "Common error codes"), service.commonErrors, commonRetried, true)}`;
  return page(service, { title: `Common error codes · ${service.title.en ?? service.name} API`, root: "", body });
}
