// Helpers for part B of the reliability suite (bad input, secrets, concurrency): a loopback server
// that records every request, the invariant every validator error must meet, scans of errors and
// logs for secrets, and the outcome numbers each test file writes to artifacts/reliability/.
import { mkdirSync, writeFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { createServer as createTcpServer, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { format, inspect } from "node:util";
import type { TokenCredential } from "@azure/core-auth";
import { AzureLogger, type AzureLogLevel, getLogLevel, setLogLevel } from "@azure/logger";
import type { BlobServiceClient } from "@azure/storage-blob";
import { connect, isStorageError, type RetryOptions, type StorageError } from "@blobkit/auth";
import { startStubServer } from "@blobkit/testing";

// ---------------------------------------------------------------------------------------------
// Recording server

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface RecordingServerOptions {
  /** Serve HTTPS with this PEM certificate and key (the emulator's loopback test certificate). */
  tls?: { certificate: string; privateKey: string };
  /**
   * Status, error code and extra headers of every answer; the body is the documented XML error.
   * @defaultValue 500 `UnexpectedRequest`
   */
  reply?: { status: number; code: string; headers?: Record<string, string> };
  /** Accept requests and never answer them (to provoke the per-try timeout). */
  silent?: boolean;
}

/** A loopback HTTP(S) server that records every request it receives. */
export interface RecordingServer extends AsyncDisposable {
  readonly requests: RecordedRequest[];
  /** e.g. `http://127.0.0.1:40123/devstoreaccount1`. */
  readonly blobEndpoint: string;
  /** A BlobKit client of this server: key-authorized, or token-authorized (HTTPS only). */
  connect(options?: {
    credential?: TokenCredential;
    retry?: RetryOptions;
  }): Promise<BlobServiceClient>;
  close(): Promise<void>;
}

/** Starts a recording server on a free loopback port. */
export async function startRecordingServer(
  options: RecordingServerOptions = {},
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const reply = options.reply ?? { status: 500, code: "UnexpectedRequest" };
  const stub = await startStubServer(
    (request, res) => {
      requests.push({ method: request.method, url: request.url, headers: request.headers });
      if (options.silent) return;
      res.writeHead(reply.status, {
        "content-type": "application/xml",
        "x-ms-error-code": reply.code,
        "x-ms-request-id": `recorded-${requests.length}`,
        ...reply.headers,
      });
      res.end(
        `<?xml version="1.0" encoding="utf-8"?><Error><Code>${reply.code}</Code><Message>${reply.code}\nRequestId:recorded-${requests.length}\nTime:2024-05-01T00:00:00.0000000Z</Message></Error>`,
      );
    },
    options.tls ? { https: options.tls } : {},
  );
  return {
    requests,
    blobEndpoint: stub.blobEndpoint,
    connect: (connectOptions = {}) =>
      connect({
        method: "emulator",
        emulator: stub,
        ...(connectOptions.credential ? { credential: connectOptions.credential } : {}),
        retry: connectOptions.retry ?? { maxTries: 1 },
      }),
    close: stub.stop,
    [Symbol.asyncDispose]: stub.stop,
  };
}

/** A loopback TCP server that accepts connections and never says a word. */
export async function startBlackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------------------------------------
// The validator invariant

/** Why an error broke the validator invariant, or undefined if it meets it. */
export function invariantViolation(error: unknown): string | undefined {
  if (!isStorageError(error)) {
    return `threw a non-StorageError: ${inspect(error, { depth: 2 })}`;
  }
  if (error.code !== "InvalidArgument") return `threw ${error.code}: ${error.message}`;
  if (typeof error.field !== "string" || error.field === "") {
    return `InvalidArgument without a field: ${error.message}`;
  }
  if (!error.message.includes(error.field)) {
    return `message does not name the field ${JSON.stringify(error.field)}: ${error.message}`;
  }
  return undefined;
}

/** Tally of what a validator did with generated input. */
export interface Tally {
  inputs: number;
  accepted: number;
  rejected: number;
}

export function newTally(): Tally {
  return { inputs: 0, accepted: 0, rejected: 0 };
}

/**
 * Runs a validator on one input: returns normally (accepted) or throws an `InvalidArgument`
 * StorageError that names its field (rejected). Anything else fails the property.
 */
export function judge(tally: Tally, run: () => unknown): "accepted" | "rejected" {
  tally.inputs++;
  try {
    run();
  } catch (error) {
    const violation = invariantViolation(error);
    if (violation) throw new Error(violation);
    tally.rejected++;
    return "rejected";
  }
  tally.accepted++;
  return "accepted";
}

/** {@link judge} for async validators such as connect(). */
export async function judgeAsync(
  tally: Tally,
  run: () => Promise<unknown>,
  /** Other codes an input may legitimately get, e.g. AuthenticationFailed for an expired SAS. */
  alsoAllowed: (error: StorageError) => boolean = () => false,
): Promise<"accepted" | "rejected"> {
  tally.inputs++;
  try {
    await run();
  } catch (error) {
    if (
      isStorageError(error) &&
      alsoAllowed(error) &&
      error.field &&
      error.message.includes(error.field)
    ) {
      tally.rejected++;
      return "rejected";
    }
    const violation = invariantViolation(error);
    if (violation) throw new Error(violation);
    tally.rejected++;
    return "rejected";
  }
  tally.accepted++;
  return "accepted";
}

/**
 * Runs a public function against a {@link RecordingServer} that answers every request with 500:
 * the input is either rejected with an `InvalidArgument` naming its field and NO request
 * ("rejected"), or it passes validation and the server's 500 comes back ("sent").
 */
export async function judgeAgainst(
  server: RecordingServer,
  tally: Tally,
  run: () => unknown,
): Promise<"rejected" | "sent"> {
  const before = server.requests.length;
  tally.inputs++;
  try {
    await run();
  } catch (error) {
    if (isStorageError(error) && error.statusCode === 500 && server.requests.length > before) {
      tally.accepted++;
      return "sent";
    }
    const violation = invariantViolation(error);
    if (violation) throw new Error(violation);
    if (server.requests.length !== before) {
      throw new Error(`an input rejected as invalid reached the network: ${error}`);
    }
    tally.rejected++;
    return "rejected";
  }
  throw new Error("the call succeeded against a server that answers only 500");
}

/** Whether `run` throws (synchronously or not): the input is invalid for that validator. */
export function rejects(run: () => unknown): boolean {
  try {
    run();
    return false;
  } catch {
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Secrets

/**
 * Every text a user may see of an error: `message`, `String()`, `stack`, `JSON.stringify`, and
 * `util.inspect` (what `console.log(error)` prints), for the error and each `cause` below it.
 */
export function errorTexts(error: unknown): string[] {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 20; depth++) {
    if (current instanceof Error) {
      texts.push(current.message, String(current), current.stack ?? "");
      texts.push(JSON.stringify(current) ?? "");
      texts.push(inspect(current, { depth: 10, showHidden: false }));
      current = current.cause;
    } else {
      texts.push(typeof current === "object" ? inspect(current, { depth: 10 }) : String(current));
      break;
    }
  }
  return texts;
}

/** How deep a cause chain goes (1 = no cause). */
export function causeDepth(error: unknown): number {
  let depth = 0;
  for (let current = error; current instanceof Error; current = current.cause) depth++;
  return depth;
}

/** The secrets (and their URL-encoded forms) that appear in `texts`. */
export function leakedSecrets(texts: readonly string[], secrets: readonly string[]): string[] {
  const joined = texts.join("\n");
  const forms = secrets.flatMap((secret) => [
    secret,
    encodeURIComponent(secret),
    // The signature part of a JWT alone, or a key without its padding, is still a secret.
    ...(secret.length > 40 ? [secret.slice(0, 40)] : []),
  ]);
  return [...new Set(forms)].filter((form) => form.length >= 8 && joined.includes(form));
}

/** Output captured from the Azure SDK logger and from console.* while a block ran. */
export interface CapturedLogs {
  readonly lines: string[];
  restore(): void;
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

/**
 * Turns the Azure SDK logger on at `verbose` and captures it and console.* (nothing is printed)
 * until `restore()`.
 */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const previousLevel: AzureLogLevel | undefined = getLogLevel();
  const previousLog = AzureLogger.log;
  const previousConsole = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
  setLogLevel("verbose");
  AzureLogger.log = (...args: unknown[]) => {
    lines.push(format(...args));
  };
  for (const name of CONSOLE_METHODS) {
    console[name] = (...args: unknown[]) => {
      lines.push(`console.${name}: ${format(...args)}`);
    };
  }
  return {
    lines,
    restore() {
      for (const [name, method] of previousConsole) console[name] = method;
      AzureLogger.log = previousLog;
      setLogLevel(previousLevel);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Outcomes

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "../../../artifacts/reliability");

/** Collects the numbers a test file measures and writes them to artifacts/reliability/<stem>.json. */
export function outcomes(stem: string): {
  data: Record<string, unknown>;
  set(key: string, value: unknown): void;
  write(): void;
} {
  const data: Record<string, unknown> = {};
  return {
    data,
    set(key, value) {
      data[key] = value;
    },
    write() {
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(
        join(ARTIFACTS, `${stem}.json`),
        `${JSON.stringify({ file: `apps/reliability/test/${stem}.test.ts`, writtenAt: new Date().toISOString(), ...data }, null, 2)}\n`,
      );
    },
  };
}

/** Milliseconds since `start`, rounded. */
export function since(start: number): number {
  return Math.round(performance.now() - start);
}
