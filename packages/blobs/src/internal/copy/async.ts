// An asynchronous copy (Copy Blob): started with the SDK's poller, then returned pending or
// followed to completion.
import type { BlobClient } from "@azure/storage-blob";
import { type CopyContexts, runCopy } from "./errors.js";
import { followCopy } from "./follow.js";
import { type CopyOutcome, type CopyPlan, copyRequestOptions } from "./plan.js";
import type { SourceAccess } from "./source.js";

/** Starts copying the source at `access` to `destination`; `size` is the source's, if known. */
export async function asyncCopy(
  destination: BlobClient,
  access: SourceAccess,
  size: number | undefined,
  plan: CopyPlan,
  contexts: CopyContexts,
): Promise<CopyOutcome> {
  const poller = await runCopy(contexts.context, () =>
    destination.beginCopyFromURL(access.url, {
      ...copyRequestOptions(plan),
      ...(plan.priority ? { rehydratePriority: plan.priority } : {}),
      intervalInMs: plan.pollIntervalMs,
    }),
  );
  const started = poller.getOperationState() as ReturnType<typeof poller.getOperationState> & {
    copyId?: string;
  };
  const copyId = started.copyId;
  if (started.isCompleted && started.result) {
    const done = started.result;
    if (size !== undefined) plan.onProgress?.({ loaded: size, total: size });
    return {
      mechanism: "async",
      status: "success",
      copyId,
      etag: done.etag,
      lastModified: done.lastModified,
      versionId: done.versionId,
      bytesCopied: size,
    };
  }
  if (!plan.waitForCompletion) {
    return {
      mechanism: "async",
      status: "pending",
      copyId,
      etag: undefined,
      lastModified: undefined,
      versionId: undefined,
      bytesCopied: undefined,
    };
  }
  return followCopy(destination, copyId, contexts.context, plan);
}
