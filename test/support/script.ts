/** Runs an ES module script (TypeScript allowed) in a fresh Node process and waits for it to exit by itself. */
import { spawn } from "node:child_process";

export interface ScriptResult {
  /** Exit code; null when it had to be killed. */
  readonly code: number | null;
  /** stdout and stderr together. */
  readonly output: string;
  readonly ms: number;
}

/** Kills the process after `killAfterMs`: a script that does not exit on its own then reports code null. */
export function runScript(
  source: string,
  killAfterMs: number,
  env: Readonly<Record<string, string>> = {},
): Promise<ScriptResult> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", source], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("exit", (code) => {
      clearTimeout(kill);
      resolve({ code, output, ms: performance.now() - started });
    });
  });
}
