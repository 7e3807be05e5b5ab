// @blobkit/auth: connect to Azure Blob Storage, one error type, and the retry policy.

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
export { describeValue } from "./describeValue.js";
export type { ConnectionDiagnosis, DiagnoseConnectionOptions } from "./diagnoseConnection.js";
export { diagnoseConnection } from "./diagnoseConnection.js";
export { redactSecrets } from "./internal/redact.js";
export type { OperationOptions, Progress, ProgressOptions } from "./OperationOptions.js";
export { sdkOptions } from "./OperationOptions.js";
export type { RetryEvent, RetryOptions, RetryReason } from "./retryPolicy.js";
export {
  computeRetryDelay,
  DEFAULT_RETRY_OPTIONS,
  resolveRetryOptions,
  TRY_TIMEOUT_CODE,
} from "./retryPolicy.js";
export type { StorageErrorCode, StorageErrorOptions } from "./StorageError.js";
export { invalidArgument, isStorageError, StorageError } from "./StorageError.js";
export type { AccessKind, ClientLike, CredentialKind, ErrorContext } from "./toStorageError.js";
export {
  credentialKindOf,
  runOperation,
  throwIfAborted,
  toStorageError,
} from "./toStorageError.js";
