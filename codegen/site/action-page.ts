/** One action's page: what Tencent's page says, and what the spec adds (rules, retries, paging, waiting, code). */
import type { Shape } from "../../src/action.js";
import { acceptorsText, delaysText } from "../../src/cli/help.js";
import { apiErrorRetryable } from "../../src/retry.js";
import type { Action, ErrorCode, Example, Service } from "../ir.js";
import { type Html, html } from "./html.js";
import { page } from "./layout.js";
import { membersTable } from "./members.js";
import { callSnippets, pagingCommand, pagingSnippet, waiterSnippet } from "./snippets.js";
import { errorTable } from "./table.js";
import { bi, prose, sameText, ui } from "./text.js";

const ROOT = "../";

export interface ActionPageContext {
  readonly service: Service;
  /** The action's input shape, as the client validates it (for the CLI command). */
  readonly shape: Shape;
  /** The group the index lists it in. */
  readonly group: { readonly id: string; readonly title: Service["groups"][number]["title"] };
}

/** A code block with a heading and a button copying it; `id` is unique on the page. */
export function snippet(id: string, title: Html, code: string, language: "ts" | "sh" | "json"): Html {
  return html`<div class="snippet">
    <div class="snippet-head">
      <p class="snippet-title" id="${id}-title">${title}</p>
      <button type="button" class="copy" data-target="${id}" aria-describedby="${id}-title">
        ${ui("复制", "Copy")} <span class="copy-state" aria-hidden="true"></span>
      </button>
    </div>
    <pre><code id="${id}" class="language-${language}">${code}</code></pre>
  </div>`;
}

function facts(action: Action, ctx: ActionPageContext): Html {
  const docs = action.docs;
  return html`<dl class="facts">
    <dt>${ui("方法", "Method")}</dt>
    <dd><code>client.${action.methodName}(input)</code></dd>
    <dt>${ui("分类", "Group")}</dt>
    <dd><a href="${ROOT}index.html#${ctx.group.id}">${bi(ctx.group.title)}</a></dd>
    <dt>${ui("频率限制", "Rate limit")}</dt>
    <dd>
      ${
        action.rateLimitPerSecond
          ? ui(
              `${action.rateLimitPerSecond} 次/秒；客户端默认排队以不超过此限制（rateLimit 选项）`,
              `${action.rateLimitPerSecond} requests per second; the client queues calls to stay below it (the rateLimit option)`,
            )
          : ui("文档未给出", "not documented")
      }
    </dd>
    <dt>${ui("幂等", "Idempotent")}</dt>
    <dd>
      ${
        action.idempotent
          ? html`<span class="badge yes">${ui("是", "yes")}</span>`
          : html`<span class="badge required">${ui("否", "no")}</span>`
      } <a href="#retries">${ui("重试规则", "how it is retried")}</a>
    </dd>
    <dt>${ui("分页", "Pages")}</dt>
    <dd>${action.paginator ? html`<a href="#paging">paginate${action.name}()</a>` : ui("否", "no")}</dd>
    <dt>${ui("等待器", "Waiters")}</dt>
    <dd>
      ${
        action.waiters.length
          ? action.waiters.map((w, i) => html`${i ? ", " : ""}<a href="#waiter-${w.name}">waitUntil${w.name}()</a>`)
          : ui("无", "none")
      }
    </dd>
    ${
      docs
        ? html`<dt>${ui("腾讯云文档", "Tencent's page")}</dt>
            <dd>
              ${[docs.zh && html`<a href="${docs.zh}" lang="zh-CN">中文</a> `, docs.en && html`<a href="${docs.en}">English</a>`]}
            </dd>`
        : ""
    }
    <dt>${ui("规格文件", "Spec")}</dt>
    <dd><code>spec/${action.source}</code></dd>
  </dl>`;
}

function exampleSection(action: Action, ctx: ActionPageContext, example: Example, i: number): Html {
  const n = i + 1;
  const head = html`<h3 id="example-${n}">${ui(`示例 ${n}`, `Example ${n}`)}: ${bi(example.title)}</h3>
    ${
      example.description && !sameText(example.description, example.title)
        ? html`<p>${bi(example.description, prose)}</p>`
        : ""
    }`;
  const json = html`<div class="examples">
    ${snippet(`example-${n}-request`, ui("请求", "Request"), JSON.stringify(example.request, null, 2), "json")}
    ${snippet(`example-${n}-response`, ui("响应", "Response"), JSON.stringify(example.response, null, 2), "json")}
  </div>`;
  if (example.invalid)
    return html`${head}
      <p class="notice">
        ${ui(
          "腾讯云文档中的这个示例不符合接口规则，SDK 会在发送前拒绝它：",
          "Tencent's page shows this example, but it breaks the action's rules; the SDK refuses it before sending:",
        )}
        ${example.invalid}
      </p>
      ${json}`;
  const calls = callSnippets(action, ctx.shape, example.request);
  return html`${head}${json}
  ${snippet(`example-${n}-ts`, ui("TypeScript：CccClient", "TypeScript: CccClient"), calls.client, "ts")}
  ${snippet(`example-${n}-bare`, ui("TypeScript：CccBareClient（按需打包）", "TypeScript: CccBareClient (tree-shaken)"), calls.bare, "ts")}
  ${calls.cli ? snippet(`example-${n}-cli`, ui("命令行", "CLI"), calls.cli, "sh") : ""}`;
}

/**
 * A request paging and waiting code can start from: the first example Tencent's rules accept, else one made of the
 * required members' own examples; undefined when a required member has none.
 */
function sampleRequest(action: Action): Readonly<Record<string, unknown>> | undefined {
  const example = action.examples.find((e) => !e.invalid);
  if (example) return example.request;
  const required = action.input.filter((m) => m.required);
  if (required.some((m) => m.example === undefined)) return undefined;
  return Object.fromEntries(required.map((m) => [m.name, m.example]));
}

function pagingSection(action: Action, shape: Shape): Html {
  const p = action.paginator;
  if (!p) return html``;
  const w = p.timeWindow;
  const sample = sampleRequest(action);
  const cli = sample && pagingCommand(action, shape, sample);
  return html`<h2 id="paging">${ui("分页", "Paging")}</h2>
    <dl class="facts">
      <dt>${ui("方式", "Style")}</dt>
      <dd><code>${p.style}</code></dd>
      <dt>${ui("位置", "Position")}</dt>
      <dd>
        <a href="#input-${p.position}"><code>${p.position}</code></a
        >${
          p.style === "page" ? ui(`，从 ${p.firstPage ?? 0} 开始`, `, from ${p.firstPage ?? 0}`) : ""
        }${p.cursorFrom ? html`${ui("，取自上一页最后一项的 ", ", from the last item's ")}<code>${p.cursorFrom}</code>` : ""}
      </dd>
      <dt>${ui("每页大小", "Page size")}</dt>
      <dd>
        <a href="#input-${p.size}"><code>${p.size}</code></a
        >:
        ${ui(
          `默认 ${p.defaultSize}${p.maxSize !== undefined ? `，最大 ${p.maxSize}` : "（文档未给出上限）"}`,
          `default ${p.defaultSize}${p.maxSize !== undefined ? `, at most ${p.maxSize}` : " (no documented maximum)"}`,
        )}
      </dd>
      <dt>${ui("条目", "Items")}</dt>
      <dd>
        <a href="#output-${p.items}"><code>${p.items}</code></a
        >${p.total ? html`; ${ui("总数", "total")} <a href="#output-${p.total}"><code>${p.total}</code></a>` : ""}
      </dd>
      ${
        w
          ? html`<dt>${ui("时间窗口", "Time window")}</dt>
              <dd>
                ${ui(
                  `${w.start}..${w.end} 跨度达到 ${w.maxSpanDays} 天时，按不足 ${w.maxSpanDays} 天的窗口依次读取`,
                  `a ${w.start}..${w.end} range of ${w.maxSpanDays} days or more is read in windows shorter than that, in order`,
                )}
              </dd>`
          : ""
      }
    </dl>
    ${sample ? snippet("paging-ts", ui("逐项读取所有页", "Every item of every page"), pagingSnippet(action, sample), "ts") : ""}
    ${cli ? snippet("paging-cli", ui("命令行（每项一行 JSON）", "CLI (one JSON line per item)"), cli, "sh") : ""}`;
}

function waitersSection(action: Action): Html {
  if (!action.waiters.length) return html``;
  const sample = sampleRequest(action);
  return html`<h2 id="waiters">${ui("等待器", "Waiters")}</h2>
    ${action.waiters.map(
      (w) =>
        html`<h3 id="waiter-${w.name}"><code>waitUntil${w.name}()</code></h3>
          <p>${bi(w.description, prose)}</p>
          <p>${acceptorsText(w)}; ${delaysText(w)}.</p>
          ${sample ? snippet(`waiter-${w.name}-ts`, ui("等待", "Wait"), waiterSnippet(w, sample), "ts") : ""}`,
    )}`;
}

const yes = (): Html => html`<span class="badge yes">${ui("是", "yes")}</span>`;

/** The action's own codes; whether each is retried is what the client decides for this action (src/retry.ts). */
function errorsSection(action: Action, service: Service): Html {
  const common = new Map(service.commonErrors.map((e) => [e.code, e.retry]));
  const retried = (e: ErrorCode) =>
    apiErrorRetryable(e.retry ?? common.get(e.code), action.idempotent) ? yes() : ui("否", "no");
  return html`<h2 id="errors">${ui("错误码", "Error codes")}</h2>
    ${
      action.errors.length
        ? errorTable(ui(`${action.name} 的错误码`, `Error codes of ${action.name}`), action.errors, retried)
        : html`<p>${ui("文档未列出本接口的错误码。", "Tencent documents no codes of its own for this action.")}</p>`
    }
    <p>${ui("另见", "See also")} <a href="${ROOT}errors.html">${ui("公共错误码", "the common error codes")}</a>.</p>`;
}

function retriesSection(action: Action): Html {
  const text = action.idempotent
    ? ui(
        "幂等：SDK 在限频、InternalError、ServiceUnavailable、HTTP 5xx、超时和连接中断后重试（默认最多 2 次，每次重新签名，请求体字节不变）。",
        "Idempotent: the SDK retries it after rate limiting, InternalError, ServiceUnavailable, HTTP 5xx, timeouts and dropped connections (maxRetries, default 2), signing each attempt afresh with the same body bytes.",
      )
    : ui(
        "非幂等：请求可能已到达腾讯云后，SDK 不再发送（超时、连接重置或 5xx 之后不重试）；只重试能证明未生效的失败：限频和发送前的失败。",
        "Not idempotent: once the request may have reached Tencent, the SDK does not send it again (no retry after a timeout, a reset or a 5xx); it retries only failures that prove nothing happened: rate limiting and failures before sending.",
      );
  return html`<h2 id="retries">${ui("幂等与重试", "Idempotency and retries")}</h2>
    <p>${text}</p>
    <p>${ui("原因：", "Why:")} <span lang="en">${action.idempotentReason}</span></p>`;
}

function notesSection(action: Action): Html {
  if (!action.notes.length) return html``;
  return html`<h2 id="notes">${ui("规格说明", "Spec notes")}</h2>
    <ul>
      ${action.notes.map((n) => html`<li lang="en">${prose(n)}</li>`)}
    </ul>`;
}

export function actionPage(action: Action, ctx: ActionPageContext): string {
  const requiredFirst = [...action.input].sort((a, b) => Number(b.required) - Number(a.required));
  const body = html`<p class="muted">
      <a href="${ROOT}index.html">${ui("全部接口", "All actions")}</a> ›
      <a href="${ROOT}index.html#${ctx.group.id}">${bi(ctx.group.title)}</a>
    </p>
    <h1>${action.name}</h1>
    <p class="subtitle">${bi(action.title)}</p>
    ${action.deprecated ? html`<p class="notice">${ui("此接口已弃用。", "This action is deprecated.")}</p>` : ""}
    ${sameText(action.description, action.title) ? "" : html`<p class="desc">${bi(action.description, prose)}</p>`}
    ${facts(action, ctx)}
    <h2 id="input">${ui("输入参数", "Input members")}</h2>
    ${membersTable(requiredFirst, "input", ROOT, ui(`${action.name} 的输入参数`, `Input members of ${action.name}`))}
    <h2 id="output">${ui("输出参数", "Output members")}</h2>
    <p class="muted">${ui("另有每个响应都带的 RequestId（string）。", "Plus RequestId (string), in every answer.")}</p>
    ${membersTable(action.output, "output", ROOT, ui(`${action.name} 的输出参数`, `Output members of ${action.name}`))}
    <h2 id="examples">${ui("示例", "Examples")}</h2>
    ${action.examples.length ? action.examples.map((e, i) => exampleSection(action, ctx, e, i)) : html`<p>${ui("文档没有示例。", "Tencent's page has no example.")}</p>`}
    ${pagingSection(action, ctx.shape)} ${waitersSection(action)} ${errorsSection(action, ctx.service)}
    ${retriesSection(action)} ${notesSection(action)}`;
  return page(ctx.service, {
    title: `${action.name} · ${ctx.service.title.en ?? ctx.service.name} API`,
    root: ROOT,
    body,
  });
}
