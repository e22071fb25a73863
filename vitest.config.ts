import { defineConfig } from "vitest/config";
import SlowFirstSequencer from "./test/support/sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Slow tests set their own, sufficient limits (per test or per hook); these bound everything else.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores, but much of the suite waits on timers, sockets and child processes: four files at a time keep
    // both cores busy.
    maxWorkers: 4,
    // A worker keeps its module cache from one test file to the next: the compiler, prettier, the generator,
    // src/ and generated/ load once per worker instead of once per file (a tenth of the suite's CPU time). Test
    // files leave no process-wide state behind: what they start they stop, what they stub they restore, and what
    // src/ keeps per process (rate-limit buckets by SecretId and action) no test file's assertions depend on.
    isolate: false,
    sequence: { sequencer: SlowFirstSequencer },
    // Bundles the entry points once for the tests that start them as processes (test/support/built.ts).
    globalSetup: ["test/support/global-setup.ts"],
  },
});
