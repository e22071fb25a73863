/**
 * README.md as people navigate it: its Contents list is every section, in order, and every `#anchor` link of the
 * README (to itself) and of CONTRIBUTING.md (to the README) names a heading that exists,
 * with GitHub's slugs.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/paths.js";

const read = (file: string) => readFileSync(path.join(REPO, file), "utf8");
/** Headings outside code blocks. */
const headings = (text: string, level: string) =>
  [...text.replace(/```[\s\S]*?```/g, "").matchAll(new RegExp(`^${level} (.+)$`, "gm"))].map((m) => m[1]!.trim());
/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, "")
    .replace(/ /g, "-");

describe("README.md", () => {
  const readme = read("README.md");

  it("lists every section in its Contents, in order", () => {
    const contents = readme.slice(
      readme.indexOf("## Contents"),
      readme.indexOf("\n## ", readme.indexOf("## Contents") + 1),
    );
    const listed = [...contents.matchAll(/^- \[(.+)\]\(#([^)]+)\)$/gm)].map((m) => m[2]);
    const sections = headings(readme, "##").filter((h) => h !== "Contents");
    expect(listed).toEqual(sections.map(slug));
  });

  it.each([
    ["README.md", /\]\(#([^)]+)\)/g, "README.md"],
    ["CONTRIBUTING.md", /\]\(README\.md#([^)]+)\)/g, "README.md"],
  ] as const)("%s links to headings of %s that exist", (file, pattern, target) => {
    const links = [...read(file).matchAll(pattern)].map((m) => m[1]!);
    const exist = new Set(headings(read(target), "#{2,4}").map(slug));
    expect(links.filter((l) => !exist.has(l))).toEqual([]);
    if (file === "README.md" && target === "README.md") expect(links.length).toBeGreaterThan(10);
  });
});
