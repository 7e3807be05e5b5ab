// The one pipeline every upload source feeds: a whole body in one Put Blob request, or blocks
// staged `concurrency` at a time and committed with the blob's properties in one Put Block List.
// Every request carries the MD5 of its body unless `checksum` is "none".
import { hash, randomBytes } from "node:crypto";
import type { BlockBlobClient, HttpRequestBody } from "@azure/storage-blob";
import { type ErrorContext, StorageError } from "@blobkit/auth";
import { describeOperation, withMessage } from "@blobkit/auth/kit";
import { runBlobOperation } from "../errors.js";
import { runBounded, type TransferSignal } from "../transfer/concurrency.js";
import { progressReporter } from "../transfer/progress.js";
import { BufferPool } from "./buffer-pool.js";
import type { UploadSettings } from "./settings.js";

/** A whole body for one Put Blob request, as a source gives it. */
export interface WholeBody {
  kind: "whole";
  length: number;
  content: HttpRequestBody;
  /** The body's MD5, asked for only when `checksum` is "md5". */
  md5(): Uint8Array | Promise<Uint8Array>;
  /** What really went wrong when reading the body failed (the HTTP client says "network error"). */
  readFailure?(): unknown;
}

/** One block to stage: its bytes, or a way to read them (files are read inside the pool). */
export interface BlockJob {
  index: number;
  data: Uint8Array | (() => Promise<Uint8Array>);
}

/** Blocks to stage, produced one at a time (only when a slot is free), then committed in order. */
export interface BlockSequence {
  kind: "blocks";
  /** Bytes in all, when known, for progress. */
  total: number | undefined;
  /** The next block, or `undefined` after the last. */
  next(): Promise<BlockJob | undefined>;
}

/** What a source gives the pipeline, from the plan it chose once. */
export type BlockSource = WholeBody | BlockSequence;

/** What uploadBlob returns (`UploadBlobResult`), as the pipeline builds it. */
export interface UploadOutcome {
  etag: string;
  lastModified: Date;
  contentLength: number;
  contentMD5?: Uint8Array;
  blockCount: number;
  requestId?: string;
}

/** The `AlreadyExists` error of `overwrite: false`, from the service's answer or our own check. */
export function alreadyExists(context: ErrorContext, cause?: StorageError): StorageError {
  const message = `${describeOperation(context)} failed: the blob already exists and overwrite is false. Leave overwrite out (or true) to replace it.`;
  return cause
    ? withMessage(cause, message, "AlreadyExists")
    : new StorageError("AlreadyExists", message, { operation: context.operation });
}

/** Encodes block `index` as an ID of fixed width, unique to this upload. */
function blockId(prefix: string, index: number): string {
  return Buffer.from(`${prefix}-${index.toString().padStart(5, "0")}`).toString("base64");
}

/** Sends the bodies and blocks of one upload to one block blob. */
export class UploadPipeline {
  readonly settings: UploadSettings;
  readonly #blob: BlockBlobClient;
  readonly #context: ErrorContext;
  readonly #transfer: TransferSignal;
  /** One buffer per block in flight, plus the one being filled; made for the first block. */
  #blockPool: BufferPool | undefined;

  constructor(
    blob: BlockBlobClient,
    context: ErrorContext,
    settings: UploadSettings,
    transfer: TransferSignal,
  ) {
    this.#blob = blob;
    this.#context = context;
    this.settings = settings;
    this.#transfer = transfer;
  }

  /** The block buffers, made on first use: a single-shot upload from memory needs none. */
  get pool(): BufferPool {
    this.#blockPool ??= new BufferPool(this.settings.concurrency + 1);
    return this.#blockPool;
  }

  /** The transfer's signal, linked on first use (see `linkSignal`). */
  get signal(): AbortSignal {
    return this.#transfer.signal;
  }

  /** With `overwrite: false`, fails before any data is sent if the blob exists. */
  async checkNotExists(): Promise<void> {
    if (this.settings.overwrite) return;
    const exists = await runBlobOperation({ ...this.#context, access: "read" }, () =>
      this.#blob.exists({ abortSignal: this.#transfer.signal }),
    );
    if (exists) throw alreadyExists(this.#context);
  }

  /** Sends what a source gives: one Put Blob request, or blocks then Put Block List. */
  send(source: BlockSource): Promise<UploadOutcome> {
    return source.kind === "whole"
      ? this.#putWhole(source)
      : this.#stageAndCommit(source.total, source.next);
  }

  /** The checksum option of a request carrying `data`, as `checksum` asks. */
  #checksum(data: Uint8Array): { transactionalContentMD5?: Uint8Array } {
    return this.settings.md5 ? { transactionalContentMD5: hash("md5", data, "buffer") } : {};
  }

  async #putWhole(body: WholeBody): Promise<UploadOutcome> {
    const checksum = this.settings.md5 ? { transactionalContentMD5: await body.md5() } : {};
    const progress = progressReporter(this.settings.onProgress, body.length);
    const s = this.settings;
    let response: Awaited<ReturnType<BlockBlobClient["upload"]>>;
    try {
      response = await runBlobOperation(this.#context, () =>
        this.#blob.upload(body.content, body.length, {
          // One request, no siblings to stop: the caller's signal is all it needs.
          ...(s.signal ? { abortSignal: s.signal } : {}),
          ...checksum,
          blobHTTPHeaders: s.headers,
          conditions: s.conditions,
          ...(s.metadata ? { metadata: s.metadata } : {}),
          ...(s.tags ? { tags: s.tags } : {}),
          ...(s.tier ? { tier: s.tier } : {}),
        }),
      );
    } catch (error) {
      throw body.readFailure?.() ?? error;
    }
    progress.add(body.length);
    progress.finish();
    return {
      etag: response.etag ?? "",
      lastModified: response.lastModified ?? new Date(),
      contentLength: body.length,
      ...(response.contentMD5 ? { contentMD5: response.contentMD5 } : {}),
      blockCount: 0,
      ...(response.requestId ? { requestId: response.requestId } : {}),
    };
  }

  async #stageAndCommit(
    total: number | undefined,
    next: () => Promise<BlockJob | undefined>,
  ): Promise<UploadOutcome> {
    const s = this.settings;
    const prefix = randomBytes(6).toString("hex");
    const ids: string[] = [];
    const progress = progressReporter(s.onProgress, total);
    const stageOptions = {
      abortSignal: this.#transfer.signal,
      ...(s.leaseId !== undefined ? { conditions: { leaseId: s.leaseId } } : {}),
    };
    let bytes = 0;
    await runBounded(s.concurrency, this.#transfer, next, async (job) => {
      const id = blockId(prefix, job.index);
      ids[job.index] = id;
      const data = typeof job.data === "function" ? await job.data() : job.data;
      const checksum = this.#checksum(data);
      await runBlobOperation(this.#context, () =>
        this.#blob.stageBlock(id, data, data.length, { ...stageOptions, ...checksum }),
      );
      bytes += data.length;
      progress.add(data.length);
      // The request is complete (retries included): the buffer can take the next block.
      this.pool.give(data);
    });
    const response = await runBlobOperation(this.#context, () =>
      this.#blob.commitBlockList(ids, {
        abortSignal: this.#transfer.signal,
        blobHTTPHeaders: s.headers,
        conditions: s.conditions,
        ...(s.metadata ? { metadata: s.metadata } : {}),
        ...(s.tags ? { tags: s.tags } : {}),
        ...(s.tier ? { tier: s.tier } : {}),
      }),
    );
    progress.finish();
    return {
      etag: response.etag ?? "",
      lastModified: response.lastModified ?? new Date(),
      contentLength: bytes,
      blockCount: ids.length,
      ...(response.requestId ? { requestId: response.requestId } : {}),
    };
  }
}
