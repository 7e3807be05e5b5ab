// Runs one operation over many blobs with the Blob Batch API: 256 sub-requests per batch, a
// bounded number of batches in flight, and a result per blob.

import {
  type BlobBatch,
  type BlobClient,
  type ContainerClient,
  RestError,
} from "@azure/storage-blob";
import { type AccessKind, type StorageError, toStorageError } from "@blobkit/auth";
import {
  checkInteger,
  containerContext,
  invalidArgument,
  runOperation,
  throwIfAborted,
} from "@blobkit/auth/kit";
import type {
  BlobBatchItemResult,
  BlobBatchOptions,
  BlobBatchResult,
  BlobReference,
} from "../BlobBatchResult.js";
import { validateBlobName } from "../rules/validateBlobName.js";
import { blobResource, explainBlobError } from "./errors.js";

/** The service's limit of sub-requests per batch. */
export const BATCH_SIZE = 256;

interface Target {
  name: string;
  snapshot: string | undefined;
  versionId: string | undefined;
  client: BlobClient;
}

/** A sub-response as the SDK parses it. */
interface SubResponse {
  status: number;
  statusMessage?: string;
  errorCode?: string;
  bodyAsText?: string;
  headers?: { get(name: string): string | undefined };
}

export interface BatchOperation {
  /** e.g. "delete blob". */
  operation: string;
  access: AccessKind;
  /** Adds one sub-request for a blob to the batch. */
  add(batch: BlobBatch, client: BlobClient): Promise<void>;
  /** Whether a failed sub-request counts as success (e.g. 404 with ignoreMissing). */
  acceptFailure?: (error: StorageError) => boolean;
}

function toTarget(container: ContainerClient, ref: BlobReference, index: number): Target {
  const field = `blobs[${index}]`;
  const reference = typeof ref === "string" ? { name: ref } : ref;
  if (typeof reference !== "object" || reference === null) {
    throw invalidArgument(field, "must be a blob name or an object with a name");
  }
  const name = validateBlobName(reference.name, `${field}.name`);
  const snapshot = reference.snapshot || undefined;
  const versionId = reference.versionId || undefined;
  if (snapshot !== undefined && versionId !== undefined) {
    throw invalidArgument(field, "name a snapshot or a version, not both");
  }
  let client = container.getBlobClient(name);
  if (snapshot !== undefined) client = client.withSnapshot(snapshot);
  if (versionId !== undefined) client = client.withVersion(versionId);
  return { name, snapshot, versionId, client };
}

function subResponseError(
  sub: SubResponse,
  target: Target,
  operation: BatchOperation,
): StorageError {
  const serviceMessage =
    sub.bodyAsText?.match(/<Message>([\s\S]*?)<\/Message>/)?.[1] ?? sub.statusMessage ?? "";
  const code = sub.errorCode ?? sub.headers?.get("x-ms-error-code");
  const rest = new RestError(serviceMessage || `HTTP ${sub.status}`, {
    statusCode: sub.status,
    ...(code ? { code } : {}),
  });
  const context = {
    operation: operation.operation,
    resource: blobResource(target.client),
    client: target.client,
    access: operation.access,
  };
  return explainBlobError(toStorageError(rest, context), context);
}

async function* chunks<T>(
  source: Iterable<T> | AsyncIterable<T>,
  size: number,
): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of source) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Runs `operation` on every referenced blob in batches of {@link BATCH_SIZE}. Arrays are
 * validated whole before the first request; async sources one batch at a time. Throws only for
 * invalid input and cancellation; every other failure is recorded in the blob's result.
 */
export async function runBatches(
  container: ContainerClient,
  blobs: Iterable<BlobReference> | AsyncIterable<BlobReference>,
  operation: BatchOperation,
  options: BlobBatchOptions,
): Promise<BlobBatchResult> {
  const concurrency = checkInteger("concurrency", options.concurrency, { min: 1, max: 16 }, 4);
  if (
    blobs === null ||
    typeof blobs !== "object" ||
    (!(Symbol.iterator in blobs) && !(Symbol.asyncIterator in blobs))
  ) {
    throw invalidArgument("blobs", "must be an array or (async) iterable of blob names");
  }
  const total = Array.isArray(blobs) ? blobs.length : undefined;
  if (Array.isArray(blobs)) {
    for (const [i, ref] of blobs.entries()) toTarget(container, ref, i);
  }
  const results: BlobBatchItemResult[] = [];
  const batchClient = container.getBlobBatchClient();
  const context = containerContext(container, `${operation.operation} (batch)`, operation.access);
  let done = 0;
  let fatal: unknown;
  const inFlight = new Set<Promise<void>>();

  const record = (
    index: number,
    target: Target,
    status: number | undefined,
    error?: StorageError,
  ) => {
    const ok = error === undefined || (operation.acceptFailure?.(error) ?? false);
    results[index] = {
      name: target.name,
      snapshot: target.snapshot,
      versionId: target.versionId,
      ok,
      status,
      error: ok ? undefined : error,
    };
  };

  const runOne = async (targets: Target[], start: number) => {
    try {
      const batch = batchClient.createBatch();
      for (const target of targets) await operation.add(batch, target.client);
      const response = await runOperation(context, () =>
        batchClient.submitBatch(batch, options.signal ? { abortSignal: options.signal } : {}),
      );
      targets.forEach((target, i) => {
        const sub = response.subResponses[i] as SubResponse | undefined;
        if (!sub) {
          record(
            start + i,
            target,
            undefined,
            toStorageError(new Error("the batch response has no answer for this blob"), context),
          );
        } else if (sub.status >= 200 && sub.status < 300) {
          record(start + i, target, sub.status);
        } else {
          record(start + i, target, sub.status, subResponseError(sub, target, operation));
        }
      });
    } catch (error) {
      const storageError = toStorageError(error, context);
      if (storageError.code === "Aborted" || storageError.code === "InvalidArgument") {
        throw storageError;
      }
      for (const [i, target] of targets.entries()) {
        record(start + i, target, storageError.statusCode, storageError);
      }
    } finally {
      done += targets.length;
      options.onProgress?.({ loaded: done, ...(total !== undefined ? { total } : {}) });
    }
  };

  let index = 0;
  for await (const chunk of chunks(blobs, BATCH_SIZE)) {
    if (fatal !== undefined) break;
    throwIfAborted(options.signal, operation.operation);
    const targets = chunk.map((ref, i) => toTarget(container, ref, index + i));
    const task: Promise<void> = runOne(targets, index)
      .catch((error: unknown) => {
        fatal ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    index += targets.length;
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (fatal !== undefined) throw fatal;
  const succeeded = results.filter((r) => r.ok).length;
  return { results, succeeded, failed: results.length - succeeded };
}
