// createTransferBudget: one limit on requests in flight and buffer memory, shared by the uploads
// and downloads it is passed to (the queue itself is internal/transfer/budget.ts).
import { checkInteger, checkOptionsObject } from "@blobkit/auth/kit";
import { Budget } from "./internal/transfer/budget.js";
import type { TransferBudget } from "./types.js";

const MiB = 1024 * 1024;

/** Options of {@link createTransferBudget}. */
export interface CreateTransferBudgetOptions {
  /**
   * Requests in flight at most, across every transfer sharing the budget.
   * @defaultValue 16
   */
  concurrency?: number;
  /**
   * Bytes of block and range buffers held at most. Uploads hold a block per request in flight,
   * downloads the 1 MiB read buffer of each request.
   * @defaultValue 256 MiB
   */
  memoryBytes?: number;
}

/** The defaults of {@link CreateTransferBudgetOptions}. */
export const DEFAULT_TRANSFER_BUDGET = Object.freeze({ concurrency: 16, memoryBytes: 256 * MiB });

/**
 * Creates a {@link TransferBudget}: pass it as `budget` to several uploads and downloads (or to
 * a folder transfer) and together they keep at most `concurrency` requests in flight (every
 * request: blocks and ranges, and the first read, the checks and the commit too) and
 * `memoryBytes` of buffers, small files many at a time and large ones block by block. A caller's
 * abort while a transfer waits for its turn rejects at once with code `"Aborted"`.
 *
 * @see [Transfer folders and many files: Share one budget](../../../apps/docs/guides/transfer-folders.md#share-one-budget)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { createTransferBudget, uploadBlob } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * const budget = createTransferBudget({ concurrency: 8, memoryBytes: 64 * 1024 * 1024 });
 * await Promise.all(
 *   ["a.bin", "b.bin", "c.bin"].map((name) => uploadBlob(container, name, { path: name }, { budget })),
 * );
 * ```
 */
export function createTransferBudget(options?: CreateTransferBudgetOptions): TransferBudget {
  const o = checkOptionsObject(options);
  const d = DEFAULT_TRANSFER_BUDGET;
  return new Budget(
    checkInteger("concurrency", o.concurrency, { min: 1, max: 1024 }, d.concurrency),
    checkInteger(
      "memoryBytes",
      o.memoryBytes,
      { min: MiB, max: 2 ** 40, unit: "bytes" },
      d.memoryBytes,
    ),
  );
}
