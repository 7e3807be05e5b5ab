// downloadBlob's tuning defaults, apart from downloadBlob.ts so that the browser's downloadBlob
// (downloadBlob.browser.ts) shares them without importing the Node.js data path.

import type { DownloadBlobOptions } from "../../DownloadBlobOptions.js";

const MiB = 1024 * 1024;

/** The defaults of {@link DownloadBlobOptions}. */
export const DEFAULT_DOWNLOAD_OPTIONS = Object.freeze({
  concurrency: 8,
  rangeSize: 16 * MiB,
  maxResumes: 5,
  stallTimeoutMs: 30_000,
  minBytesPerSecond: 16 * 1024,
});
