// Runs Azurite's blob service inside this process: in memory, on an OS-assigned loopback port.
import { readFile } from "node:fs/promises";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { loadAzurite } from "./internal/azurite.js";
import { createLoopbackCertificate, trustCertificateInProcess } from "./internal/certificate.js";
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
   * Loopback address to listen on.
   * @defaultValue `"127.0.0.1"`
   */
  host?: string;
  /**
   * Port to listen on; 0 lets the OS choose a free one.
   * @defaultValue 0
   */
  port?: number;
  /**
   * Print Azurite's debug log to this file path.
   */
  debugLogPath?: string;
  /** Cancels start-up. */
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
  const { BlobServer, BlobConfiguration, MemoryExtentChunkStore } = loadAzurite();
  const https = options.https === true;
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(host)) {
    throw new Error(`startAzurite only listens on loopback addresses, not "${host}".`);
  }
  const cert = https ? await createLoopbackCertificate() : undefined;
  options.signal?.throwIfAborted();
  // Each instance gets its own chunk store, so two emulators never share data or size limits.
  const config = new BlobConfiguration(
    host,
    options.port ?? 0,
    5_000,
    "",
    "",
    [],
    false,
    undefined,
    options.debugLogPath !== undefined,
    options.debugLogPath as undefined,
    false,
    true, // --skipApiVersionCheck: the SDK sends a newer API version than Azurite knows
    cert?.certPath ?? "",
    cert?.keyPath ?? "",
    "",
    https ? "basic" : undefined,
    false,
    true,
    new MemoryExtentChunkStore(),
  );
  const server = new BlobServer(config);
  try {
    await server.start();
  } catch (error) {
    await cert?.dispose();
    throw error;
  }
  if (cert) trustCertificateInProcess(cert.certificate);
  const address = new URL(server.getHttpServerAddress());
  const blobEndpoint = `${address.protocol}//${host}:${address.port}/${AZURITE_ACCOUNT_NAME}`;
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
  const serviceClient = new BlobServiceClient(
    blobEndpoint,
    new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY),
  );
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await server.close();
      await server.clean();
      await cert?.dispose();
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
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
