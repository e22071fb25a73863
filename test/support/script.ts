/**
 * Runs an ES module script in a fresh Node process and waits for it to exit by itself. Scripts import the
 * package's bundled entry points (test/support/built.ts); `typescript: true` loads tsx for a script that imports
 * TypeScript source.
 */
import { runNode, TSX_LOADER } from "./run.js";

export interface ScriptResult {
  /** Exit code; null when it had to be killed. */
  readonly code: number | null;
  /** stdout and stderr together. */
  readonly output: string;
  readonly ms: number;
}

/** Kills the process after `killAfterMs`: a script that does not exit on its own then reports code null. */
export async function runScript(
  source: string,
  killAfterMs: number,
  env: Readonly<Record<string, string>> = {},
  opts: { typescript?: boolean } = {},
): Promise<ScriptResult> {
  const loader = opts.typescript ? ["--import", TSX_LOADER] : [];
  const r = await runNode([...loader, "--input-type=module", "-e", source], {
    timeoutMs: killAfterMs,
    env,
  });
  return { code: r.code, output: r.output, ms: r.ms };
}
