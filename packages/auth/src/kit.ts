// @blobkit/auth/kit: the toolbox of BlobKit's own packages. Option checks with one wording,
// abortable waits, the retry policy's backoff, and one way to run an SDK call and explain its
// error. It is public so that packages built on BlobKit can give the same errors, but it is not
// the API an application calls: that is `@blobkit/auth`.

export { corePipelineOf, serviceVersionOf } from "./internal/corePipeline.js";
export { credentialKindOf } from "./internal/explain.js";
export { redactSecrets } from "./internal/redact.js";
export { resolveRetryOptions, TRY_TIMEOUT_CODE } from "./internal/retrySettings.js";
export { abortError, abortedError, raceAbort, sleep, throwIfAborted } from "./kit/abort.js";
export type { BackoffOptions } from "./kit/backoff.js";
export { backoff } from "./kit/backoff.js";
export type { OperationLabel } from "./kit/describe.js";
export { describeOperation, describeValue } from "./kit/describe.js";
export {
  containerContext,
  hintsByServiceCode,
  runOperation,
  serviceErrorOf,
  withHint,
  withMessage,
} from "./kit/errors.js";
export type { FileWriter } from "./kit/liveWriter.js";
export { heldByOtherProcess } from "./kit/liveWriter.js";
export type { FileSystemErrorContext, StreamErrorContext } from "./kit/localErrors.js";
export {
  destinationError,
  fileSystemError,
  isFileSystemFailure,
  sourceError,
} from "./kit/localErrors.js";
export { restoreMetadataCase } from "./kit/metadata.js";
export type { IntegerRule } from "./kit/options.js";
export {
  checkBoolean,
  checkChoice,
  checkHeaderValue,
  checkInteger,
  checkOptionalString,
  checkOptionsObject,
} from "./kit/options.js";
export { containerClientOf, serviceClientOf } from "./kit/parentClients.js";
export { sdkOptions } from "./kit/sdk.js";
export { randomUuid } from "./kit/uuid.js";
export { invalidArgument } from "./StorageError.js";
export type { ResolvedRetryOptions } from "./types.js";
