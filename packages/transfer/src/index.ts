// @blobkit/transfer: folders and many files to and from Azure Blob Storage: upload, download,
// server-side copy and sync, with one budget of requests and memory, and transfers that resume.

export type { CopyDirectoryOptions } from "./copyDirectory.js";
export { copyDirectory } from "./copyDirectory.js";
export type { DownloadDirectoryOptions } from "./downloadDirectory.js";
export { downloadDirectory } from "./downloadDirectory.js";
export type {
  CompareMode,
  FailedItem,
  FailurePolicy,
  OverwritePolicy,
  SkippedItem,
  SkipReason,
  TransferCounts,
  TransferEvent,
  TransferItem,
  TransferOptions,
  TransferPhase,
  TransferProgress,
  TransferResult,
} from "./types.js";
export type { UploadDirectoryOptions } from "./uploadDirectory.js";
export { uploadDirectory } from "./uploadDirectory.js";
