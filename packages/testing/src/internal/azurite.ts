// Loads Azurite's blob server without its package root, which imports `vscode`.
// Azurite ships CommonJS without type declarations, so the few members used here are typed locally.
import { createRequire } from "node:module";

/** The subset of Azurite's `BlobConfiguration` constructor that BlobKit uses, in order. */
export type BlobConfigurationCtor = new (
  host: string,
  port: number,
  keepAliveTimeout: number,
  metadataDBPath: string,
  extentDBPath: string,
  persistencePathArray: unknown[],
  enableAccessLog: boolean,
  accessLogWriteStream: undefined,
  enableDebugLog: boolean,
  debugLogFilePath: undefined,
  loose: boolean,
  skipApiVersionCheck: boolean,
  cert: string,
  key: string,
  pwd: string,
  oauth: string | undefined,
  disableProductStyleUrl: boolean,
  isMemoryPersistence: boolean,
  memoryStore: unknown,
) => object;

export interface AzuriteBlobServer {
  start(): Promise<void>;
  close(): Promise<void>;
  clean(): Promise<void>;
  getHttpServerAddress(): string;
}

export interface AzuriteModules {
  BlobServer: new (config: object) => AzuriteBlobServer;
  BlobConfiguration: BlobConfigurationCtor;
  MemoryExtentChunkStore: new (sizeLimit?: number) => object;
}

let modules: AzuriteModules | undefined;

/** Imports Azurite's blob server classes once per process (about 1 s the first time). */
export function loadAzurite(): AzuriteModules {
  if (modules) return modules;
  const require = createRequire(import.meta.url);
  const server = require("azurite/dist/src/blob/BlobServer.js") as {
    default: AzuriteModules["BlobServer"];
  };
  const config = require("azurite/dist/src/blob/BlobConfiguration.js") as {
    default: BlobConfigurationCtor;
  };
  const memory = require("azurite/dist/src/common/persistence/MemoryExtentStore.js") as {
    MemoryExtentChunkStore: AzuriteModules["MemoryExtentChunkStore"];
  };
  modules = {
    BlobServer: server.default,
    BlobConfiguration: config.default,
    MemoryExtentChunkStore: memory.MemoryExtentChunkStore,
  };
  return modules;
}

/** A started blob service, whichever way it runs. */
export interface RunningServer {
  /** The port it listens on. */
  port: number;
  /** Stops it and frees what it holds. Safe to call once; the caller guards repeats. */
  stop(): Promise<void>;
}

/** Where and how to serve, for either way of running Azurite. */
export interface ServerSettings {
  host: string;
  port: number;
  /** Certificate and key files for HTTPS (and `--oauth basic`). */
  cert?: { certPath: string; keyPath: string };
  debugLogPath?: string;
}

/** Runs Azurite's blob service in this process, with an in-memory store of its own. */
export async function startInProcessServer(settings: ServerSettings): Promise<RunningServer> {
  const { BlobServer, BlobConfiguration, MemoryExtentChunkStore } = loadAzurite();
  // Each instance gets its own chunk store, so two emulators never share data or size limits.
  const config = new BlobConfiguration(
    settings.host,
    settings.port,
    5_000,
    "",
    "",
    [],
    false,
    undefined,
    settings.debugLogPath !== undefined,
    settings.debugLogPath as undefined,
    false,
    true, // --skipApiVersionCheck: the SDK sends a newer API version than Azurite knows
    settings.cert?.certPath ?? "",
    settings.cert?.keyPath ?? "",
    "",
    settings.cert ? "basic" : undefined,
    false,
    true,
    new MemoryExtentChunkStore(),
  );
  const server = new BlobServer(config);
  const stop = async () => {
    await server.close();
    await server.clean();
  };
  try {
    await server.start();
    // "http://127.0.0.1:5123" or, for IPv6, "http://::1:5123" (not a URL): only the port is read.
    const port = Number(/:(\d+)$/.exec(server.getHttpServerAddress())?.[1]);
    if (!Number.isInteger(port) || port <= 0) {
      throw new Error(`Azurite reported no port (${server.getHttpServerAddress()})`);
    }
    return { port, stop };
  } catch (error) {
    // A server that started listening must not outlive a failed start.
    await stop().catch(() => {});
    throw error;
  }
}
