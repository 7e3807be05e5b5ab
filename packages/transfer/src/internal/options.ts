// The options every many-file transfer shares, checked before any request and resolved once.
import type { ContainerClient } from "@azure/storage-blob";
import {
  checkBoolean,
  checkChoice,
  checkInteger,
  checkOptionalString,
  checkOptionsObject,
  invalidArgument,
} from "@blobkit/auth/kit";
import { createTransferBudget, type TransferBudget } from "@blobkit/blobs";
import type {
  CompareMode,
  FailurePolicy,
  OverwritePolicy,
  TransferEvent,
  TransferOptions,
} from "../types.js";
import { type PathFilter, pathFilter } from "./filters.js";
import { ProgressTracker } from "./progress.js";

/** Everything a transfer reads from its common options. */
export interface TransferSettings {
  filter: PathFilter;
  overwrite: OverwritePolicy;
  compare: CompareMode;
  failurePolicy: FailurePolicy;
  budget: TransferBudget;
  /** Files in flight at once (their requests share the budget). */
  concurrency: number;
  dryRun: boolean;
  keepItems: boolean;
  onItem: ((event: TransferEvent) => void) | undefined;
  signal: AbortSignal | undefined;
  progress: ProgressTracker;
  /** The checkpoint file's path, if any. */
  checkpoint: string | undefined;
}

/**
 * Files in flight per request slot of the budget: a file also has work outside its requests (a
 * download's flush, close, rename and time stamp), which other files' requests can overlap.
 * Downloads pass more (decision 24).
 */
const FILES_PER_SLOT = 2;

export function resolveTransferOptions(
  options: TransferOptions | undefined,
  filesPerSlot = FILES_PER_SLOT,
): TransferSettings {
  const o = checkOptionsObject(options);
  const policy = o.failurePolicy;
  if (
    policy !== undefined &&
    typeof policy !== "function" &&
    policy !== "stop" &&
    policy !== "continue"
  ) {
    throw invalidArgument("failurePolicy", 'must be "stop", "continue" or a function');
  }
  for (const field of ["onProgress", "onItem"] as const) {
    if (o[field] !== undefined && typeof o[field] !== "function") {
      throw invalidArgument(field, "must be a function");
    }
  }
  const budget = o.budget ?? createTransferBudget();
  const checkpoint = checkOptionalString("checkpoint", o.checkpoint);
  return {
    filter: pathFilter(o.include, o.exclude),
    checkpoint,
    overwrite: checkChoice(
      "overwrite",
      o.overwrite,
      ["changed", "always", "never"] as const,
      "changed",
    ),
    compare: checkChoice("compare", o.compare, ["size-and-time", "md5"] as const, "size-and-time"),
    failurePolicy: policy ?? "stop",
    budget,
    concurrency: Math.min(128, budget.concurrency * filesPerSlot),
    dryRun: checkBoolean("dryRun", o.dryRun, false),
    keepItems: checkBoolean("keepItems", o.keepItems, true),
    onItem: o.onItem,
    signal: o.signal,
    progress: new ProgressTracker(
      o.onProgress,
      checkInteger(
        "progressIntervalMs",
        o.progressIntervalMs,
        { min: 0, max: 60_000, unit: "ms" },
        200,
      ),
    ),
  };
}

/** Fails clearly when `container` is not an SDK ContainerClient. */
export function checkContainer(container: unknown, field: string): ContainerClient {
  const c = container as Partial<ContainerClient> | null;
  if (
    typeof c !== "object" ||
    c === null ||
    typeof c.getBlockBlobClient !== "function" ||
    typeof c.containerName !== "string"
  ) {
    throw invalidArgument(field, "must be a ContainerClient (service.getContainerClient(name))");
  }
  return c as ContainerClient;
}
