// Runs Azurite's blob service as a child process, for tests that block this process's event loop
// (execFileSync, spawnSync, Atomics.wait): an in-process emulator cannot answer them, the child
// can. It exits with its parent: a preloaded watchdog ends it when the IPC channel closes.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningServer, ServerSettings } from "./azurite.js";

const READY = /successfully listens on \S+:(\d+)/;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

/** A port free on `host` right now (Azurite's command line does not accept port 0). */
async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, host, resolve);
  });
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Ends the child and waits until it has exited: closing the IPC channel makes its watchdog exit
 * at once (the open channel would otherwise keep it alive after Azurite's own SIGTERM shutdown),
 * with SIGKILL as the last resort.
 */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  if (child.connected) child.disconnect();
  else child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Starts the child and waits for Azurite's "listens on" line, or for its failure. */
function launch(
  args: string[],
  cwd: string,
  signal: AbortSignal | undefined,
): { child: ChildProcess; ready: Promise<number> } {
  const child = spawn(process.execPath, args, {
    cwd,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const ready = new Promise<number>((resolve, reject) => {
    let output = "";
    const fail = (message: string) => {
      cleanup();
      reject(new Error(`${message}${output ? `\n${output.trim().slice(-2_000)}` : ""}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = READY.exec(output);
      if (match) {
        cleanup();
        resolve(Number(match[1]));
      }
    };
    const onExit = (code: number | null, by: string | null) =>
      fail(`Azurite's child process exited before listening (${by ?? `code ${code}`})`);
    const onAbort = () => {
      cleanup();
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => fail(`Azurite's child process did not listen within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onSpawnError);
      signal?.removeEventListener("abort", onAbort);
    };
    const onSpawnError = (error: Error) => fail(`Azurite's child process failed: ${error.message}`);
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onSpawnError);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  return { child, ready };
}

/**
 * Starts Azurite's command-line blob service (`azurite/dist/src/blob/main.js`) with this
 * process's Node.js: in memory, no telemetry, no access log, on `settings.port` or a free port.
 */
export async function startChildServer(
  settings: ServerSettings,
  signal: AbortSignal | undefined,
): Promise<RunningServer> {
  const main = createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js");
  // The watchdog that ends the child with its parent. The child runs in this folder too: with
  // --inMemoryPersistence (which refuses --location) Azurite writes nothing, but a debug log or a
  // future version's file would land here, not in the caller's working directory.
  const workspace = await mkdtemp(join(tmpdir(), "blobkit-azurite-child-"));
  const watchdog = join(workspace, "exit-with-parent.cjs");
  try {
    await writeFile(watchdog, "process.on('disconnect', () => process.exit(0));\n");
    // A free port can be taken by someone else before the child listens: try again then.
    for (let attempt = 1; ; attempt++) {
      const port = settings.port || (await freePort(settings.host));
      const args = [
        "--require",
        watchdog,
        main,
        "--blobHost",
        settings.host,
        "--blobPort",
        String(port),
        "--inMemoryPersistence",
        "--disableTelemetry",
        "--skipApiVersionCheck",
        "--silent",
        ...(settings.cert
          ? ["--cert", settings.cert.certPath, "--key", settings.cert.keyPath, "--oauth", "basic"]
          : []),
        ...(settings.debugLogPath ? ["--debug", settings.debugLogPath] : []),
      ];
      const { child, ready } = launch(args, workspace, signal);
      try {
        const listening = await ready;
        // Keep reading its output, or a full pipe would block the child.
        child.stdout?.resume();
        child.stderr?.resume();
        let stopping: Promise<void> | undefined;
        const stop = () => {
          stopping ??= kill(child).finally(() => rm(workspace, { recursive: true, force: true }));
          return stopping;
        };
        return { port: listening, stop };
      } catch (error) {
        await kill(child);
        const inUse = error instanceof Error && /EADDRINUSE/.test(error.message);
        if (!inUse || settings.port !== 0 || attempt >= 3 || signal?.aborted) throw error;
      }
    }
  } catch (error) {
    await rm(workspace, { recursive: true, force: true });
    throw error;
  }
}
