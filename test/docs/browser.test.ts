/**
 * The reference site in a real browser: Debian's Chromium, headless, driven by playwright-core, reading the built
 * site from a static server on 127.0.0.1. A person's path through it: search the index by an action's Chinese
 * title, open the action, read its members and example, switch the language, copy a call. Then every page is
 * opened and must render (no script error, no failed request, its heading shown). Screenshots of the index and of
 * the DisableCCCPhoneNumber page are kept in .ci/artifacts/docs/ for CI.
 */
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../codegen/site/build.js";
import { serveSite, type SiteServer } from "../../codegen/site/serve.js";
import { removeDir, tempDir } from "../codegen/helpers.js";
import { REPO, SPEC_DIR } from "../support/paths.js";

/** Debian's package (`apt-get install chromium`, which .ci/run does when it is missing), or CHROMIUM_PATH. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = path.join(REPO, ".ci", "artifacts", "docs");

/** No traffic beyond 127.0.0.1: Chromium's own background services off (this machine refuses them anyway). */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
];

let dir: string;
let site: string;
let server: SiteServer;
let browser: Browser;
let pages: string[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  dir = await tempDir("browser");
  site = path.join(dir, "docs");
  const built = await buildSite({ specDir: SPEC_DIR, outDir: site });
  pages = [...built.files.keys()].filter((f) => f.endsWith(".html"));
  server = await serveSite(site);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  await mkdir(ARTIFACTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeDir(dir);
});

async function englishContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  return context;
}

/** What keeps a page from rendering: script errors, console errors, failed or refused requests. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  // ERR_ABORTED is the page's own navigation cancelling a late request (the icon); a missing file shows as its status.
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED")
      problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return problems;
}

// page.evaluate() takes expressions as strings here: the project compiles without the DOM library, so that Node
// code cannot use a browser global by mistake.

/** Opens a page and says why it did not render: a status, a script or request problem, no visible h1. */
async function renderProblems(page: Page, problems: string[], url: string, heading?: string): Promise<string[]> {
  problems.length = 0;
  const response = await page.goto(url, { waitUntil: "load" });
  if (response?.status() !== 200) problems.push(`HTTP ${response?.status()}`);
  const h1 = page.locator("h1");
  if (!(await h1.isVisible())) problems.push("no visible h1");
  else if (heading && (await seen(h1)).trim() !== heading) problems.push(`h1 is "${await seen(h1)}"`);
  if (!(await page.evaluate<string | undefined>("document.documentElement.dataset.lang")))
    problems.push("the script did not run");
  const styled = await page.evaluate<boolean>('getComputedStyle(document.body).margin === "0px"');
  if (!styled) problems.push("the stylesheet did not apply");
  return problems.map((p) => `${url}: ${p}`);
}

/**
 * The text a person sees: the rendered innerText, not textContent, because the site keeps both languages in the
 * page and hides one; textContent would read the hidden one too.
 */
function seen(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what this test is about
  return locator.innerText();
}

/** The visible entries of the index. */
async function visibleEntries(page: Page): Promise<string[]> {
  return page.locator("li[data-search]:visible a code").allInnerTexts();
}

describe("a reader's path through the site", () => {
  it("finds an action by its Chinese title, opens it, reads it, switches the language and copies a call", async () => {
    const context = await englishContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url.slice(0, -1) });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}index.html`);
    expect(await visibleEntries(page)).toHaveLength(84 + 87);
    await page.screenshot({ path: path.join(ARTIFACTS, "index.png"), fullPage: false });

    await page.getByLabel("Search").fill("停用号码");
    await expect.poll(() => visibleEntries(page)).toEqual(["DisableCCCPhoneNumber"]);
    await expect.poll(() => seen(page.locator("#search-status"))).toBe("1 of 171 match");
    await page.screenshot({ path: path.join(ARTIFACTS, "index-search.png") });
    await page.locator("li[data-search]:visible a").click();
    await page.waitForURL(/\/actions\/DisableCCCPhoneNumber\.html$/);

    // In English first (the browser's language): the members table, the example.
    expect(await seen(page.locator("h1"))).toBe("DisableCCCPhoneNumber");
    await expect.poll(() => page.getByRole("heading", { name: "Input members" }).isVisible()).toBe(true);
    expect(await page.getByText("输入参数", { exact: true }).isVisible()).toBe(false);
    const table = page.getByRole("table", { name: "Input members of DisableCCCPhoneNumber" });
    expect(await table.locator("tbody th").allInnerTexts()).toEqual(["Disabled", "PhoneNumbers", "SdkAppId"]);
    expect(await seen(table.locator("tr#input-PhoneNumbers"))).toMatch(/required[\s\S]*pattern \/\^0086\//);
    expect(await seen(table.locator("tr#input-Disabled"))).toMatch(/1 Disable — disable/);
    const request = page.locator("#example-1-request");
    expect(JSON.parse(await seen(request))).toEqual({
      SdkAppId: 1,
      PhoneNumbers: ["008602112345678"],
      Disabled: 0,
    });
    expect(await seen(page.locator("#example-1-ts"))).toContain("await client.disableCCCPhoneNumber({");
    await page.screenshot({ path: path.join(ARTIFACTS, "DisableCCCPhoneNumber.png"), fullPage: true });

    // Switched to Chinese: the Chinese texts show, the English ones do not, and the choice is kept.
    await page.getByRole("button", { name: "切换到中文" }).click();
    expect(await page.evaluate<string>("document.documentElement.lang")).toBe("zh-CN");
    expect(await page.getByRole("heading", { name: "输入参数" }).isVisible()).toBe(true);
    expect(await page.getByText("Input members", { exact: true }).isVisible()).toBe(false);
    expect(await seen(page.locator(".subtitle"))).toBe("停用号码");
    expect(await page.getByRole("table", { name: "DisableCCCPhoneNumber 的输入参数" }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "DisableCCCPhoneNumber.zh.png"), fullPage: true });
    await page.goto(`${server.url}actions/ModifyOwnNumberApply.html`);
    expect(await page.getByRole("heading", { name: "输出参数" }).isVisible()).toBe(true);
    await page.getByRole("button", { name: "Switch to English" }).click();
    expect(await page.getByRole("heading", { name: "Output members" }).isVisible()).toBe(true);

    // Copy: the clipboard holds the call exactly as shown.
    await page.locator('button.copy[data-target="example-1-ts"]').click();
    const copied = await page.evaluate<string>("navigator.clipboard.readText()");
    expect(copied).toBe(await seen(page.locator("#example-1-ts")));
    expect(copied).toContain("await client.modifyOwnNumberApply(");
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it("searches from another page through the index", async () => {
    const context = await englishContext();
    const page = await context.newPage();
    await page.goto(`${server.url}models/TelCdrInfo.html`);
    await page.getByLabel("Search").fill("staff status");
    await page.getByLabel("Search").press("Enter");
    await page.waitForURL(/\/index\.html\?q=staff\+status$/);
    await expect
      .poll(() => visibleEntries(page))
      .toEqual([
        "DescribeStaffStatusMetrics",
        "DescribeStaffStatusHistory",
        "SetStaffStatus",
        "SetStaffStatusItem",
        "SetStaffStatusRspItem",
        "StaffStatus",
        "StaffStatusExtra",
        "StaffStatusMetrics",
      ]);
    await context.close();
  }, 30_000);
});

describe("every page", () => {
  it("renders: its heading shows, its script runs, its stylesheet applies, nothing fails to load", async () => {
    const context = await englishContext();
    const page = await context.newPage();
    const problems = watch(page);
    const found: string[] = [];
    for (const file of pages) {
      const heading = /^(actions|models)\/(\w+)\.html$/.exec(file)?.[2];
      found.push(...(await renderProblems(page, problems, `${server.url}${file}`, heading)));
    }
    expect(found).toEqual([]);
    expect(pages).toHaveLength(173);
    await context.close();
  }, 180_000);

  it("is caught when it does not render: a broken script, a missing stylesheet", async () => {
    const broken = path.join(dir, "broken");
    await cp(site, broken, { recursive: true });
    const script = path.join(broken, "assets", "site.js");
    await writeFile(script, `throw new Error("broken on purpose");\n${await readFile(script, "utf8")}`);
    await writeFile(
      path.join(broken, "errors.html"),
      (await readFile(path.join(broken, "errors.html"), "utf8")).replace("assets/site.css", "assets/missing.css"),
    );
    const other = await serveSite(broken);
    const context = await englishContext();
    const page = await context.newPage();
    const problems = watch(page);
    try {
      expect(new Set(await renderProblems(page, problems, `${other.url}errors.html`))).toEqual(
        new Set([
          `${other.url}errors.html: script error: broken on purpose`,
          `${other.url}errors.html: HTTP 404: ${other.url}assets/missing.css`,
          `${other.url}errors.html: console error: Failed to load resource: the server responded with a status of 404 (Not Found) (${other.url}assets/missing.css)`,
          `${other.url}errors.html: the script did not run`,
          `${other.url}errors.html: the stylesheet did not apply`,
        ]),
      );
    } finally {
      await context.close();
      await other.close();
    }
  }, 30_000);
});
