/**
 * generated/ACTIONS.md is written already as prettier prints it when every cell is text the emitter can measure;
 * otherwise it says so and the generator formats it. Both checked against prettier itself.
 */
import * as prettier from "prettier";
import { beforeAll, describe, expect, it } from "vitest";
import { emitActionList } from "../../codegen/emit/markdown.js";
import { PRETTIER } from "../../codegen/format.js";
import type { Service } from "../../codegen/ir.js";
import { loadSpec } from "../../codegen/load.js";
import { FIXTURE_SPEC_DIR, SPEC_DIR } from "../support/paths.js";

let service: Service;
beforeAll(async () => {
  service = await loadSpec(FIXTURE_SPEC_DIR);
});

/** The fixture spec with the first action's titles replaced. */
function withTitle(title: { en?: string; zh?: string }): Service {
  const [first, ...rest] = service.actions;
  return { ...service, actions: [{ ...first!, title: { ...first!.title, ...title } }, ...rest] };
}

const format = (text: string) => prettier.format(text, { ...PRETTIER, parser: "markdown" });

describe("the action table", () => {
  it.each([
    ["ASCII with runs of spaces", { en: "Creates  a   number (bind)", zh: "创建号码" }],
    ["CJK and fullwidth punctuation", { en: "Number", zh: "修改话机账号（绑定技能组、绑定坐席账号）" }],
    ["a pipe", { en: "A | B", zh: "甲" }],
  ])("%s: written as prettier prints it, without prettier", async (_, title) => {
    const { text, needsFormatting } = emitActionList(withTitle(title));
    expect(needsFormatting).toBe(false);
    expect(text).toBe(await format(text));
  });

  it.each([
    ["Markdown emphasis", { en: "Creates *one* number" }],
    ["an emoji", { en: "Creates a number 📞" }],
    ["a character outside ASCII and CJK", { en: "Crée un numéro" }],
  ])("%s: left to prettier", (_, title) => {
    expect(emitActionList(withTitle(title)).needsFormatting).toBe(true);
  });
});

describe("the paginator and waiter tables", () => {
  it("list the real spec's 20 paginators and 7 waiters, written as prettier prints them", async () => {
    const real = await loadSpec(SPEC_DIR);
    const { text } = emitActionList(real);
    expect(text).toContain("## Paginators (20)");
    expect(text).toContain("## Waiters (7)");
    expect(text).toMatch(/\| `client\.paginateDescribeTelCdr\(\)` +\| page +\| `PageNumber`, `PageSize` \| ≤ 100 /);
    expect(text).toMatch(
      /\| `client\.waitUntilCompanyApproved\(\)` +\| `DescribeCompanyList` +\| `CompanyInfo\[\]\.State` all in 2 /,
    );
    expect(text).toBe(await format(text));
  });
});
