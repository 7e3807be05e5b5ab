// Starts a script of test/child in a plain Node process that runs the workspace sources, and
// follows its output, so a test can kill it at a chosen point (SIGKILL: no clean-up runs).
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./", import.meta.url));

/** A running child script. */
export interface Child {
  process: ChildProcess;
  /** Everything it printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** The last "PROGRESS <n>" it printed, 0 before the first. */
  readonly progress: number;
  /** Resolves with the exit code (`null` when killed by a signal). */
  exited: Promise<number | null>;
  /** Kills it with SIGKILL and waits for it to be gone. */
  kill(): Promise<void>;
}

export function runChild(script: string, argument: unknown): Child {
  // Vitest's own loader options must not reach the child.
  const { NODE_OPTIONS: _nodeOptions, ...env } = process.env;
  const child = spawn(
    process.execPath,
    [
      "--conditions=@blobkit/source",
      "--import",
      `${CHILD}source-hooks.ts`,
      `${CHILD}${script}`,
      JSON.stringify(argument),
    ],
    { env: { ...env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  let progress = 0;
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const match of chunk.matchAll(/^PROGRESS (\d+)$/gm)) progress = Number(match[1]);
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return {
    process: child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    get progress() {
      return progress;
    },
    exited,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
