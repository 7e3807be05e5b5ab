// Runs Azurite's blob service inside this process: in memory, on an OS-assigned loopback port.
import { readFile } from "node:fs/promises";
import { BlobServiceClient, newPipeline, StorageSharedKeyCredential } from "@azure/storage-blob";
import { type RunningServer, startInProcessServer } from "./internal/azurite.js";
import { createLoopbackCertificate, trustCertificateInProcess } from "./internal/certificate.js";
import { startChildServer } from "./internal/childAzurite.js";
import { ipv6AgentPolicy } from "./internal/ipv6.js";
import { createEmulatorTokenCredential, type EmulatorTokenCredential } from "./tokenCredential.js";

/** The well-known development account that Azurite serves. */
export const AZURITE_ACCOUNT_NAME = "devstoreaccount1";
/** The well-known, public development key of {@link AZURITE_ACCOUNT_NAME} (not a secret). */
export const AZURITE_ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** Options for {@link startAzurite}. */
export interface StartAzuriteOptions {
  /**
   * Serve HTTPS with a self-signed certificate generated at start and trusted in this process,
   * and accept Microsoft Entra ID bearer tokens (Azurite's `--oauth basic`). Needed for token
   * credentials and user delegation SAS.
   * @defaultValue false
   */
  https?: boolean;
  /**
   * Loopback address to listen on: `"127.0.0.1"` (or another `127.x.y.z`), `"::1"` or
   * `"localhost"`. An IPv6 address appears in brackets in the endpoint: `http://[::1]:5123/...`.
   * @defaultValue `"127.0.0.1"`
   */
  host?: string;
  /**
   * Port to listen on; 0 lets the OS choose a free one.
   * @defaultValue 0
   */
  port?: number;
  /**
   * Where the emulator runs:
   * - `"in-process"`: in this process, on its event loop. Fast to start (about 15 ms), and what
   *   almost every test wants. But nothing can answer while this process's event loop is
   *   blocked: a synchronous child process that calls the emulator (`execFileSync("curl", ...)`,
   *   `spawnSync`) waits for an answer that never comes, and the test deadlocks.
   * - `"child"`: Azurite's command-line blob service in a child process (this process's Node.js,
   *   in memory, no telemetry), for tests that call it synchronously. Slower to start (about 1 s);
   *   `stop()` ends the child and waits for it to exit, and it exits with this process.
   * @defaultValue "in-process"
   */
  process?: "in-process" | "child";
  /**
   * Print Azurite's debug log to this file path.
   */
  debugLogPath?: string;
  /** Cancels start-up; whatever was already started is stopped. */
  signal?: AbortSignal;
}

/** Everything needed to reach a running emulator; plain data, safe to pass between processes. */
export interface AzuriteConnection {
  /** Blob service endpoint, e.g. `http://127.0.0.1:51234/devstoreaccount1`. */
  blobEndpoint: string;
  /** Account name (always {@link AZURITE_ACCOUNT_NAME}). */
  accountName: string;
  /** Account key (the public development key). */
  accountKey: string;
  /** A connection string with an explicit `BlobEndpoint`. */
  connectionString: string;
  /** Whether the emulator serves HTTPS and accepts Entra ID tokens. */
  https: boolean;
  /** The PEM certificate of the HTTPS emulator (to trust in another process). */
  certificate?: string;
  /**
   * The certificate's private key. It belongs to a throw-away loopback test certificate and lets
   * other test processes start HTTPS emulators with the same, already trusted, certificate.
   */
  certificateKey?: string;
}

/** A running embedded emulator. Stop it with `await using` or {@link AzuriteInstance.stop}. */
export interface AzuriteInstance extends AzuriteConnection, AsyncDisposable {
  /** A `BlobServiceClient` authorized with the account key. */
  readonly serviceClient: BlobServiceClient;
  /** A token credential the emulator accepts (HTTPS mode only). */
  readonly tokenCredential: EmulatorTokenCredential | undefined;
  /** Stops the server and frees its memory. Safe to call twice. */
  stop(): Promise<void>;
  /** The serializable part of this instance. */
  toJSON(): AzuriteConnection;
}

/**
 * Starts an embedded Azurite blob service: in this process, in memory, on a free loopback port,
 * with no telemetry. Starting takes about 15 ms once Azurite is loaded (about 1 s, once per process).
 *
 * The in-process emulator shares this process's event loop: a synchronous call from this process
 * to it (`execFileSync("curl", ...)`, `spawnSync`) deadlocks, since the emulator cannot answer
 * until the call returns. Start it with `process: "child"` for such tests.
 *
 * If start-up fails or is cancelled, whatever was already started (the server, the child process,
 * the certificate's temporary folder) is stopped before the error is thrown.
 *
 * @example
 * ```ts
 * import { startAzurite } from "@blobkit/testing";
 *
 * await using azurite = await startAzurite();
 * const container = azurite.serviceClient.getContainerClient("demo");
 * await container.create();
 * ```
 */
export async function startAzurite(options: StartAzuriteOptions = {}): Promise<AzuriteInstance> {
  options.signal?.throwIfAborted();
  const https = options.https === true;
  const host = (options.host ?? "127.0.0.1").replace(/^\[(.*)\]$/, "$1");
  if (!isLoopback(host)) {
    throw new Error(`startAzurite only listens on loopback addresses, not "${host}".`);
  }
  const mode = options.process ?? "in-process";
  if (mode !== "in-process" && mode !== "child") {
    throw new Error(
      `startAzurite's process option must be "in-process" or "child", not "${String(mode)}".`,
    );
  }
  const cert = https ? await createLoopbackCertificate() : undefined;
  let server: RunningServer | undefined;
  try {
    options.signal?.throwIfAborted();
    const settings = {
      host,
      port: options.port ?? 0,
      ...(cert ? { cert } : {}),
      ...(options.debugLogPath !== undefined ? { debugLogPath: options.debugLogPath } : {}),
    };
    server =
      mode === "child"
        ? await startChildServer(settings, options.signal)
        : await startInProcessServer(settings);
    options.signal?.throwIfAborted();
    if (cert) trustCertificateInProcess(cert.certificate);
    // An IPv6 address needs brackets in a URL.
    const hostInUrl = host.includes(":") ? `[${host}]` : host;
    const blobEndpoint = `${https ? "https" : "http"}://${hostInUrl}:${server.port}/${AZURITE_ACCOUNT_NAME}`;
    const connection: AzuriteConnection = {
      blobEndpoint,
      accountName: AZURITE_ACCOUNT_NAME,
      accountKey: AZURITE_ACCOUNT_KEY,
      connectionString: [
        `DefaultEndpointsProtocol=${https ? "https" : "http"}`,
        `AccountName=${AZURITE_ACCOUNT_NAME}`,
        `AccountKey=${AZURITE_ACCOUNT_KEY}`,
        `BlobEndpoint=${blobEndpoint};`,
      ].join(";"),
      https,
      ...(cert
        ? { certificate: cert.certificate, certificateKey: await readFile(cert.keyPath, "utf8") }
        : {}),
    };
    const pipeline = newPipeline(
      new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY),
    );
    // The SDK's HTTP client cannot reach an IPv6 literal host by itself (see internal/ipv6.ts).
    if (host.includes(":")) pipeline.factories.push(ipv6AgentPolicy);
    const serviceClient = new BlobServiceClient(blobEndpoint, pipeline);
    const running = server;
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        try {
          await running.stop();
        } finally {
          await cert?.dispose();
        }
      })();
      return stopping;
    };
    return {
      ...connection,
      serviceClient,
      tokenCredential: https ? createEmulatorTokenCredential() : undefined,
      stop,
      [Symbol.asyncDispose]: stop,
      toJSON: () => ({ ...connection }),
    };
  } catch (error) {
    // The caller gets no handle when start-up fails: stop what was started, or the process
    // would never exit.
    await server?.stop().catch(() => {});
    await cert?.dispose();
    throw error;
  }
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
