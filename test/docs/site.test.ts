/**
 * The reference site (codegen/site/): what `npm run docs` renders from the real spec, the link and accessibility
 * checks (each shown to catch what it is for), the action groups of service.yaml, and the command's atomic write.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { renderSite } from "../../codegen/site/build.js";
import { checkSite, formatProblem } from "../../codegen/site/check.js";
import { runDocs } from "../../codegen/site/cli.js";
import { THEMES } from "../../codegen/site/theme.js";
import type { Service } from "../../codegen/ir.js";
import { formatIssue, loadSpec, SpecError } from "../../codegen/load.js";
import { applyEdit, copySpec, FIXTURE_SPEC_DIR, hashTree, removeDir, SPEC_DIR, tempDir } from "../codegen/helpers.js";

let service: Service;
let files: Map<string, string>;

beforeAll(async () => {
  service = await loadSpec(SPEC_DIR);
  files = await renderSite(service);
}, 60_000);

/** The files with one page's text changed. */
function edited(file: string, from: string | RegExp, to: string): Map<string, string> {
  const out = new Map(files);
  const text = out.get(file)!;
  const next = text.replace(from, to);
  if (next === text) throw new Error(`test setup: ${String(from)} is not in ${file}`);
  out.set(file, next);
  return out;
}

const messages = (f: ReadonlyMap<string, string>) => checkSite(f).problems.map(formatProblem);

describe("the site of the real spec", () => {
  it("has a page for every action and model, an index, the common errors and two assets", () => {
    const actions = [...files.keys()].filter((f) => f.startsWith("actions/"));
    const models = [...files.keys()].filter((f) => f.startsWith("models/"));
    expect(actions).toHaveLength(service.actions.length);
    expect(models).toHaveLength(service.models.length);
    expect(service.actions.length).toBe(84);
    expect([...files.keys()].filter((f) => !f.startsWith("actions/") && !f.startsWith("models/")).sort()).toEqual([
      "assets/icon.svg",
      "assets/site.css",
      "assets/site.js",
      "errors.html",
      "index.html",
    ]);
  });

  it("passes its own checks: no dead link, no accessibility problem", () => {
    const check = checkSite(files);
    expect(check.problems.map(formatProblem)).toEqual([]);
    expect(check.pages).toBe(service.actions.length + service.models.length + 2);
    expect(check.links).toBeGreaterThan(1_500);
  });

  it("lists the actions under Tencent's groups, in service.yaml's order, each action once", () => {
    const index = files.get("index.html")!;
    const order = service.groups.map((g) => index.indexOf(`<h2 id="${g.id}">`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const a of service.actions) expect(index.split(`href="actions/${a.name}.html"`)).toHaveLength(2);
    expect(index).toContain('data-search="disablecccphonenumber disablecccphonenumber 停用号码 disable phone numbers"');
  });

  it("shows an action's members with type, presence, rules and enum meanings, and links its models", () => {
    const page = files.get("actions/DisableCCCPhoneNumber.html")!;
    const row = (name: string) => page.match(new RegExp(`<tr id="input-${name}">[\\s\\S]*?</tr>`))?.[0] ?? "";
    expect(row("PhoneNumbers")).toContain("pattern /^0086/");
    expect(row("PhoneNumbers")).toContain("items unique");
    expect(row("PhoneNumbers")).toContain('class="badge required"');
    expect(row("Disabled")).toMatch(/<code>1<\/code> <strong>Disable<\/strong> — .*停用.*disable/);
    expect(row("SdkAppId")).not.toContain("badge required");
    const modify = files.get("actions/ModifyOwnNumberApply.html")!;
    expect(modify).toContain(
      '<a href="../models/OwnNumberApplyDetailItem.html"><code>OwnNumberApplyDetailItem</code></a>',
    );
    const model = files.get("models/OwnNumberApplyDetailItem.html")!;
    expect(model).toContain('<a href="../actions/ModifyOwnNumberApply.html"><code>ModifyOwnNumberApply</code></a>');
    expect(model).toContain('<a href="../actions/CreateOwnNumberApply.html"><code>CreateOwnNumberApply</code></a>');
  });

  it("gives every language its span, and says the retry rule, rate limit and retryable codes", () => {
    const page = files.get("actions/DisableCCCPhoneNumber.html")!;
    expect(page).toContain(
      '<span class="t-zh" lang="zh-CN">停用号码</span><span class="t-en" lang="en">Disable phone numbers</span>',
    );
    expect(page).toContain("20 requests per second");
    expect(page).toContain("Idempotent: the SDK retries it");
    expect(files.get("actions/CreateCallOutSession.html")).toContain("Not idempotent");
    // InternalError is retried for idempotent actions only (service.yaml `retry: idempotent`).
    const internal = (p: string) => p.match(/<th scope="row"><code>InternalError<\/code><\/th>[\s\S]*?<\/tr>/)?.[0];
    expect(internal(files.get("actions/BindStaffSkillGroupList.html")!)).toContain("badge yes");
    expect(internal(files.get("actions/CreateAICall.html")!)).toMatch(/<td><span class="t-zh" lang="zh-CN">否<\/span>/);
  });

  it("shows paging and waiting where the spec has them", () => {
    const cdr = files.get("actions/DescribeTelCdr.html")!;
    expect(cdr).toContain('<h2 id="paging">');
    expect(cdr).toContain("client.paginateDescribeTelCdr(");
    expect(cdr).toContain("npx ccc DescribeTelCdr --page-all");
    expect(cdr).toMatch(/90 days or more is read in windows/);
    const task = files.get("actions/DescribeAutoCalloutTask.html")!;
    expect(task).toContain('<h3 id="waiter-AutoCalloutTaskFinished">');
    expect(task).toContain("client.waitUntilAutoCalloutTaskFinished(");
    expect(files.get("actions/DisableCCCPhoneNumber.html")).not.toContain('id="paging"');
  });

  it("marks Tencent's invalid examples and offers no call for them", () => {
    const page = files.get("actions/ControlAIConversation.html")!;
    expect(page).toContain('class="notice"');
    expect(page).toContain("SdkAppId must be an integer, got the string &quot;1400000000&quot;");
  });

  it("escapes spec text: markup in a description is shown, never run", async () => {
    const [first, ...rest] = service.actions;
    const hostile = { ...first!, description: { en: '<script>alert("x")</script> & <b>' } };
    const site = await renderSite({ ...service, actions: [hostile, ...rest] });
    const page = site.get(`actions/${first!.name}.html`)!;
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;");
    expect(page).not.toContain('<script>alert("x")');
  });
});

describe("the link check", () => {
  it("finds a link to a page that does not exist", () => {
    const broken = edited("index.html", 'href="errors.html"', 'href="errorz.html"');
    expect(messages(broken)).toEqual([
      expect.stringMatching(/^index\.html:\d+: dead link errorz\.html: no errorz\.html in the site$/),
    ]);
  });

  it("finds a fragment the target page has no id for", () => {
    const broken = edited("actions/DisableCCCPhoneNumber.html", 'id="retries"', 'id="retry"');
    expect(messages(broken)).toEqual([
      expect.stringMatching(
        /^actions\/DisableCCCPhoneNumber\.html:\d+: dead link #retries: actions\/DisableCCCPhoneNumber\.html has no id "retries"$/,
      ),
    ]);
  });

  it("finds a missing stylesheet", () => {
    const without = new Map(files);
    without.delete("assets/site.css");
    expect(messages(without).length).toBe(files.size - 3);
    expect(messages(without)[0]).toMatch(/dead link \.\.\/assets\/site\.css|dead link assets\/site\.css/);
  });
});

describe("the accessibility check", () => {
  const page = "actions/DisableCCCPhoneNumber.html";

  it("finds a form field without a label", () => {
    expect(messages(edited(page, '<label for="q">', '<label for="query">'))).toEqual([
      expect.stringMatching(/: a <input> without a label/),
    ]);
  });

  it("finds a skipped heading level and a second h1", () => {
    expect(messages(edited(page, /<h2 id="input">([\s\S]*?)<\/h2>/, '<h4 id="input">$1</h4>'))).toEqual([
      expect.stringMatching(/heading h4 follows h1: a level is skipped/),
    ]);
    expect(messages(edited(page, /<h2 id="errors">([\s\S]*?)<\/h2>/, '<h1 id="errors">$1</h1>'))).toEqual([
      `${page}: 2 h1 headings; a page needs exactly one`,
    ]);
  });

  it("finds a page without lang, a table without a caption, a header without scope", () => {
    expect(messages(edited(page, '<html lang="en">', "<html>"))).toEqual([`${page}: <html> has no lang`]);
    expect(messages(edited(page, /<caption>[\s\S]*?<\/caption>/, ""))).toEqual([
      expect.stringMatching(/^actions\/DisableCCCPhoneNumber\.html:\d+: a <table> without a <caption>$/),
    ]);
    expect(messages(edited(page, '<th scope="col">', "<th>"))).toEqual([
      expect.stringMatching(/^actions\/DisableCCCPhoneNumber\.html:\d+: a <th> without scope$/),
    ]);
  });

  it("finds a button without a name and an id used twice", () => {
    const nameless = edited(
      page,
      /<button id="lang-switch"[^>]*>[^<]*<\/button>/,
      '<button id="lang-switch" type="button"></button>',
    );
    expect(messages(nameless)).toEqual([
      expect.stringMatching(/^actions\/DisableCCCPhoneNumber\.html:\d+: a <button> without a name/),
    ]);
    expect(messages(edited(page, 'id="q"', 'id="main"'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^actions\/DisableCCCPhoneNumber\.html:\d+: the id "main" is used twice$/),
      ]),
    );
  });

  it("finds a colour pair below 4.5:1, in either scheme", () => {
    const pale = { ...THEMES.dark, muted: "#4a5260" };
    const problems = checkSite(files, { ...THEMES, dark: pale }).problems.map(formatProblem);
    expect(problems).toEqual([
      expect.stringMatching(
        /^theme: dark secondary text: muted #4a5260 on bg #0f1419 has contrast 2\.\d\d:1, below 4\.5:1$/,
      ),
      expect.stringMatching(
        /^theme: dark secondary text on code: muted #4a5260 on codeBg #1b222b has contrast \d\.\d\d:1, below 4\.5:1$/,
      ),
    ]);
  });

  it("finds HTML that does not parse", () => {
    expect(messages(edited(page, '<main id="main">', '<main id="main" <p>'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^actions\/DisableCCCPhoneNumber\.html:\d+: HTML parse error: /)]),
    );
  });
});

describe("service.yaml groups", () => {
  let dir: string | undefined;
  afterAll(() => removeDir(dir && path.dirname(dir)));

  async function loadWith(groups: string): Promise<Service | SpecError> {
    await removeDir(dir && path.dirname(dir));
    dir = await copySpec(path.join(await tempDir("groups"), "spec"));
    // The fixture's service.yaml is spec/'s, groups and all: these tests put their own in its place.
    const service = parseDocument(await readFile(path.join(FIXTURE_SPEC_DIR, "service.yaml"), "utf8"));
    service.delete("groups");
    await applyEdit(dir, { file: "service.yaml", write: `${service.toString({ lineWidth: 0 })}${groups}` });
    return loadSpec(dir).catch((e: unknown) => {
      if (e instanceof SpecError) return e;
      throw e;
    });
  }

  it("without groups, one group holds every action", async () => {
    const s = (await loadWith("")) as Service;
    expect(s.groups).toEqual([
      { id: "actions", title: { zh: "接口", en: "Actions" }, actions: s.actions.map((a) => a.name) },
    ]);
  });

  it("puts the actions no group lists in the rest group, by name", async () => {
    const s = await loadWith(
      "groups:\n  - id: numbers\n    title: { en: Numbers }\n    actions: [DisableCCCPhoneNumber]\n  - id: other\n    title: { en: Other }\n    rest: true\n    actions: []\n",
    );
    expect(s).not.toBeInstanceOf(SpecError);
    expect((s as Service).groups.map((g) => [g.id, g.actions])).toEqual([
      ["numbers", ["DisableCCCPhoneNumber"]],
      ["other", ["CreateOwnNumberApply", "ModifyOwnNumberApply"]],
    ]);
  });

  it("keeps the place of an action the folder lacks, off the index, and warns with the closest unlisted name", async () => {
    const s = await loadWith(
      "groups:\n  - id: numbers\n    title: { en: Numbers }\n    actions:\n      - DisableCCCPhoneNumbr\n      - DescribeStaffStatusHistory\n      - ModifyOwnNumberApply\n  - id: other\n    title: { en: Other }\n    rest: true\n    actions: []\n",
    );
    expect(s).not.toBeInstanceOf(SpecError);
    const service = s as Service;
    expect(service.groups.map((g) => [g.id, g.actions])).toEqual([
      ["numbers", ["ModifyOwnNumberApply"]],
      ["other", ["CreateOwnNumberApply", "DisableCCCPhoneNumber"]],
    ]);
    expect(service.warnings.map(formatIssue)).toEqual([
      expect.stringMatching(
        /service\.yaml:\d+:9: groups\[0\]\.actions\[0\]: no action `DisableCCCPhoneNumbr` \(no actions\/DisableCCCPhoneNumbr\.yaml\): left off the index, its place kept\. Did you mean `DisableCCCPhoneNumber`, which no group lists\?$/,
      ),
      expect.stringMatching(
        /service\.yaml:\d+:9: groups\[0\]\.actions\[1\]: no action `DescribeStaffStatusHistory` .*its place kept\.$/,
      ),
    ]);
  });

  it("names the file and line of a repeated id or action, and a missing rest group", async () => {
    const e = await loadWith(
      "groups:\n  - id: numbers\n    title: { en: Numbers }\n    actions:\n      - DisableCCCPhoneNumber\n      - ModifyOwnNumberApply\n  - id: numbers\n    title: { en: More }\n    actions: [ModifyOwnNumberApply]\n",
    );
    expect(e).toBeInstanceOf(SpecError);
    const text = (e as SpecError).message;
    expect(text).toMatch(/service\.yaml:\d+:\d+: groups\[1\]\.id: another group has the id `numbers` already\./);
    expect(text).toMatch(
      /service\.yaml:\d+:\d+: groups\[1\]\.actions\[0\]: `ModifyOwnNumberApply` is in the group `numbers` already\./,
    );
    expect(text).toMatch(
      /service\.yaml:\d+:\d+: groups: exactly one group needs `rest: true` \(it takes the actions no group lists\); 0 do\./,
    );
  });
});

describe("npm run docs", () => {
  let out: string | undefined;
  afterAll(() => removeDir(out && path.dirname(out)));

  const io = () => {
    const lines = { out: [] as string[], err: [] as string[] };
    return { lines, io: { out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) } };
  };

  it("writes the site and says what it checked", async () => {
    out = path.join(await tempDir("docs"), "docs");
    const { lines, io: sink } = io();
    expect((await runDocs(["--out", out], sink)).code).toBe(0);
    expect(lines.out.join("\n")).toMatch(
      /^docs: wrote 176 files to .*docs\/ in \d+ ms: 84 actions, \d+ models; 173 pages and \d+ internal links checked$/,
    );
    expect((await readdir(path.join(out, "actions"))).length).toBe(84);
    expect(lines.err).toEqual([]); // spec/'s groups name only actions it has
  });

  it("warns of each action a group lists that the folder lacks, and builds", async () => {
    const partial = await copySpec(path.join(await tempDir("docs-partial"), "spec")); // 3 actions, spec/'s groups
    const site = path.join(path.dirname(partial), "docs");
    const { lines, io: sink } = io();
    expect((await runDocs(["--spec", partial, "--out", site], sink)).code).toBe(0);
    const service = await loadSpec(SPEC_DIR);
    expect(lines.err).toHaveLength(service.actions.length - 3);
    for (const line of lines.err)
      expect(line).toMatch(/^docs: warning: .*service\.yaml:\d+:9: groups\[\d+\]\.actions\[\d+\]: no action `\w+` /);
    await removeDir(path.dirname(partial));
  });

  it("leaves the site untouched when the spec is invalid", async () => {
    const before = await hashTree(out!);
    const bad = await copySpec(path.join(await tempDir("docs-bad"), "spec"));
    await applyEdit(bad, { file: "actions/DisableCCCPhoneNumber.yaml", replace: ["type: int64", "type: int65"] });
    const { lines, io: sink } = io();
    expect((await runDocs(["--spec", bad, "--out", out!], sink)).code).toBe(2);
    expect(lines.err.join("\n")).toMatch(/DisableCCCPhoneNumber\.yaml:\d+:\d+: .*int65[\s\S]*was left untouched\./);
    expect(await hashTree(out!)).toEqual(before);
    await removeDir(path.dirname(bad));
  });

  it("refuses a bad port before building", async () => {
    const { lines, io: sink } = io();
    expect((await runDocs(["--port", "70000"], sink)).code).toBe(2);
    expect(lines.err).toEqual(["docs: --port must be a port number (0 to 65535), not 70000"]);
  });
});
