// Helpers of the reliability suite's part A (faults, silent server, cancellation): a server that
// accepts connections and never answers, a hang guard, digests, the child-process runner of the
// cancellation scripts, and the JSON artifacts the measured outcomes are written to.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { fileURLToPath } from "node:url";

/** A loopback endpoint that accepts connections (and TLS handshakes) and never answers. */
export interface SilentServer extends AsyncDisposable {
  /** Blob endpoint with the development account's path, e.g. `http://127.0.0.1:5123/devstoreaccount1`. */
  readonly blobEndpoint: string;
  /** Connections accepted so far. */
  readonly connections: number;
  stop(): Promise<void>;
}

/**
 * Starts a server on a free loopback port that accepts every connection, reads whatever the
 * client sends and never writes a byte back. With `tls`, it completes the TLS handshake first,
 * so an HTTPS client gets as far as sending its request.
 */
export async function startSilentServer(
  tls?: { certificate: string; privateKey: string } | undefined,
): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const onSocket = (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.resume();
  };
  const server: Server = tls
    ? createTlsServer({ cert: tls.certificate, key: tls.privateKey }, onSocket)
    : createTcpServer(onSocket);
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
    return stopping;
  };
  return {
    blobEndpoint: `${tls ? "https" : "http"}://127.0.0.1:${port}/devstoreaccount1`,
    get connections() {
      return connections;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** What a settled operation gave, and how long it took. */
export interface Settled<T> {
  value?: T;
  error?: unknown;
  elapsedMs: number;
}

/**
 * Runs `fn` and settles within `hangAfterMs`: if it has not settled by then, the result is an
 * error saying it hung, so a hang fails the test with a message instead of a vitest timeout.
 */
export async function settleWithin<T>(
  hangAfterMs: number,
  fn: () => Promise<T>,
): Promise<Settled<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`HUNG: not settled after ${hangAfterMs} ms`)),
      hangAfterMs,
    );
  });
  try {
    const value = await Promise.race([fn(), hung]);
    return { value, elapsedMs: performance.now() - started };
  } catch (error) {
    return { error, elapsedMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const ARTIFACTS = fileURLToPath(new URL("../../../artifacts/reliability/", import.meta.url));

/** Writes the measured outcomes of one test file to `artifacts/reliability/<stem>.json`. */
export async function writeArtifact(stem: string, data: unknown): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${stem}.json`;
  await writeFile(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}

/** Rounds milliseconds for reports. */
export function ms(value: number): number {
  return Math.round(value);
}

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
