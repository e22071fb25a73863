/**
 * The order vitest starts test files in. On a fresh clone vitest knows no durations (its cache of them is in
 * node_modules/.vite), and its default starts the largest files first; then a file that mostly waits (the
 * keep-alive sweeps, ~35 s of timers) may start last and leave the other workers idle at the end. So the files
 * known to take longest start first, each ahead of everything faster; the rest keep vitest's own order.
 */
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Longest first (wall time on two cores, with the rest of the suite running; measured on a fresh clone). */
const SLOW_FIRST = [
  "test/network/keep-alive.test.ts",
  "test/integration/redis-processes.test.ts",
  "test/package/pack-install.test.ts",
  "test/lint/checks.test.ts",
  "test/import/import-cli.test.ts",
  "test/emulator/hardening.test.ts",
  "test/import/replay.test.ts",
  "test/import/diff.test.ts",
  "test/lint/format.test.ts",
  "test/emulator/emulator.test.ts",
  "test/codegen/api-report.test.ts",
  "test/codegen/cli.test.ts",
  "test/network/request-sent.test.ts",
  "test/codegen/scenarios.test.ts",
  "test/integration/reliability.test.ts",
  "test/extension/extension.test.ts",
  "test/cli/process.test.ts",
  "test/runtimes/workerd.test.ts",
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.indexOf(path.relative(this.ctx.config.root, f.moduleId).split(path.sep).join("/"));
      return i === -1 ? SLOW_FIRST.length : i;
    };
    return base
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}
