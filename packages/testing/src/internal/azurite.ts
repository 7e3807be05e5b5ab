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
