// @blobkit/auth: connect to Azure Blob Storage, one error type, and the retry policy.
// What BlobKit's own packages share (option checks, abortable waits, error hints) is in the
// second entry point, `@blobkit/auth/kit`.

export type {
  AccountKeyConnectOptions,
  ConnectCommonOptions,
  ConnectionStringConnectOptions,
  ConnectOptions,
  EmulatorConnectOptions,
  EmulatorEndpoint,
  EntraIdConnectOptions,
  SasConnectOptions,
} from "./connect.js";
export { connect } from "./connect.js";
export type { ConnectFromEnvOptions } from "./connectFromEnv.js";
export { connectFromEnv, ENV_VARIABLES } from "./connectFromEnv.js";
export type { ConnectionDiagnosis, DiagnoseConnectionOptions } from "./diagnoseConnection.js";
export { diagnoseConnection } from "./diagnoseConnection.js";
export { DEFAULT_RETRY_OPTIONS } from "./internal/retrySettings.js";
export type { StorageErrorCode, StorageErrorOptions } from "./StorageError.js";
export { isStorageError, StorageError } from "./StorageError.js";
export { toStorageError } from "./toStorageError.js";
export type {
  AccessKind,
  ClientLike,
  CredentialKind,
  ErrorContext,
  OperationOptions,
  Progress,
  ProgressOptions,
  RetryEvent,
  RetryOptions,
  RetryReason,
  SasReach,
} from "./types.js";
