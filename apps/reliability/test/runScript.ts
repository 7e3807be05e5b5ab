// Runs the cancellation scripts of apps/reliability/scripts as child processes, outside vitest, and
// reports how each one ended: its exit code, its RESULT line, and how long it lingered after it.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The outcome of one child process. */
export interface ScriptRun {
  /** Exit code; `null` when the runner had to kill it. */
  code: number | null;
  /** Whether the runner killed it because it did not exit by itself in time. */
  killed: boolean;
  stdout: string;
  stderr: string;
  /** The JSON the script printed on a line starting with `RESULT `. */
  result: Record<string, unknown> | undefined;
  /** From spawn to exit. */
  totalMs: number;
  /** From the RESULT line to exit: how long the process lingered after its work was done. */
  exitLagMs: number | undefined;
}

const SCRIPTS = fileURLToPath(new URL("../scripts/", import.meta.url));

/**
 * Runs `apps/reliability/scripts/<name>` with this Node (which strips TypeScript types), outside
 * vitest, and waits for it to exit by itself; kills it after `exitWithinMs` (a leftover socket or
 * timer keeps a process alive, which is what this detects).
 */
export function runScript(name: string, exitWithinMs = 15_000): Promise<ScriptRun> {
  // The child must resolve the workspace packages as a user would (to their built dist), not
  // through vitest's options.
  const { NODE_OPTIONS: _nodeOptions, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let resultAt: number | undefined;
    let stdout = "";
    let stderr = "";
    const child = spawn(process.execPath, [`${SCRIPTS}${name}`], {
      cwd: SCRIPTS,
      env: { ...env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      if (resultAt === undefined && /^RESULT /m.test(stdout)) resultAt = performance.now();
    });
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, exitWithinMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const ended = performance.now();
      const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
      resolve({
        code,
        killed,
        stdout,
        stderr,
        result: line
          ? (JSON.parse(line.slice("RESULT ".length)) as Record<string, unknown>)
          : undefined,
        totalMs: ended - started,
        exitLagMs: resultAt === undefined ? undefined : ended - resultAt,
      });
    });
  });
}
