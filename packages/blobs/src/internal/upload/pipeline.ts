// The one pipeline every upload source feeds: a whole body in one Put Blob request, or blocks
// staged `concurrency` at a time and committed with the blob's properties and its whole-blob MD5
// in one Put Block List. Every request carries the checksum `checksum` asks for; every request
// waits for a slot of the budget, when there is one.
import type { BlockBlobClient, HttpRequestBody } from "@azure/storage-blob";
import { type ErrorContext, isStorageError } from "@blobkit/auth";
import { raceAbort } from "@blobkit/auth/kit";
import { md5Of, requestBody } from "#platform";
import type { UploadBlobResult } from "../../UploadBlobOptions.js";
import { crc64 } from "../checksum/crc64.js";
import { OrderedMd5 } from "../checksum/ordered-md5.js";
import { runBlobOperation } from "../errors.js";
import { runBounded, type TransferSignal } from "../transfer/concurrency.js";
import { progressReporter } from "../transfer/progress.js";
import { blockIds, contentBlockId, randomBlockKey } from "./block-ids.js";
import { BufferPool } from "./buffer-pool.js";
import { alreadyExists, blocksLost, mayHaveBeenWritten } from "./errors.js";
import type { UploadSettings } from "./settings.js";

/** A whole body for one Put Blob request, as a source gives it. */
export interface WholeBody {
  kind: "whole";
  length: number;
  content: HttpRequestBody;
  /** Bytes of memory the body holds while it is sent (0 for the caller's own bytes). */
  heldBytes?: number;
  /** The body's bytes, for a checksum: all at once, or (a file) chunk by chunk. */
  checksumOf(algorithm: "md5" | "crc64"): Uint8Array | Promise<Uint8Array>;
  /** What really went wrong when reading the body failed (the HTTP client says "network error"). */
  readFailure?(): unknown;
}

/** One block to stage: its bytes, or a way to read them (files are read inside the pool). */
export interface BlockJob {
  index: number;
  /** Bytes the block holds, to reserve in the budget before reading it. */
  length: number;
  data: Uint8Array | (() => Promise<Uint8Array>);
  /** What to send instead of `data` (the same bytes): a slice of a Blob, sent by reference. */
  body?: HttpRequestBody | undefined;
}

/** Blocks to stage, produced one at a time (only when a slot is free), then committed in order. */
export interface BlockSequence {
  kind: "blocks";
  /** Bytes in all, when known, for progress. */
  total: number | undefined;
  /**
   * Derives block IDs from this key instead of a random one, so that a later run of the same
   * upload finds the blocks this one staged (see `resumable`).
   */
  resumeKey?: string;
  /**
   * Names each block by its content (its MD5 and index) and reuses any block the service holds
   * under that name, whatever upload staged it: a `File` has no path to derive IDs from.
   */
  resumeByContent?: boolean;
  /** The next block, or `undefined` after the last. */
  next(): Promise<BlockJob | undefined>;
}

/** What a source gives the pipeline, from the plan it chose once. */
export type BlockSource = WholeBody | BlockSequence;

/** What uploadBlob returns, as the pipeline builds it. */
export type UploadOutcome = UploadBlobResult;

/**
 * The fallback of a check that needs read permission, for an upload-only credential (a SAS with
 * `cw`, the usual grant for a browser's uploads): the check is an optimization (the commit's
 * `If-None-Match: *` still refuses to overwrite; without the staged list, every block is sent).
 */
function withoutReadPermission<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (isStorageError(error, "PermissionDenied")) return fallback;
    throw error;
  };
}

/** A body this small goes out in one write (the per-try timeout policy's threshold too). */
const SMALL_BODY = 256 * 1024;

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

  /**
   * The block buffers: the budget's, shared with every upload using it (so that many files at
   * once stay within its memory), or this upload's own, made on first use (a single-shot upload
   * from memory needs none).
   */
  get pool(): BufferPool {
    this.#blockPool ??= this.settings.budget?.pool ?? new BufferPool(this.settings.concurrency + 1);
    return this.#blockPool;
  }

  /** What the upload is, for errors a source raises. */
  get context(): ErrorContext {
    return this.#context;
  }

  /** The transfer's signal, linked on first use (see `linkSignal`). */
  get signal(): AbortSignal {
    return this.#transfer.signal;
  }

  /** With `overwrite: false`, fails before any data is sent if the blob exists. */
  async checkNotExists(): Promise<void> {
    if (this.settings.overwrite) return;
    const exists = await this.#inSlot(() =>
      runBlobOperation({ ...this.#context, access: "read" }, () =>
        this.#blob.exists({ abortSignal: this.#transfer.signal }),
      ),
    ).catch(withoutReadPermission(false));
    if (exists) throw alreadyExists(this.#context);
  }

  /** Runs one request without a body to hold (a check, a listing, the commit) in a budget slot. */
  async #inSlot<T>(request: () => Promise<T>): Promise<T> {
    const release = await this.settings.budget?.acquire(0, this.#transfer.signal);
    try {
      return await request();
    } finally {
      release?.();
    }
  }

  /** Sends what a source gives: one Put Blob request, or blocks then Put Block List. */
  send(source: BlockSource): Promise<UploadOutcome> {
    return source.kind === "whole" ? this.#putWhole(source) : this.#stageAndCommit(source);
  }

  /** The checksum option of a request carrying `data`, as `checksum` asks. */
  async #checksumOf(
    data: Uint8Array,
  ): Promise<{ transactionalContentMD5?: Uint8Array; transactionalContentCrc64?: Uint8Array }> {
    switch (this.settings.checksum) {
      case "md5":
        return { transactionalContentMD5: await md5Of(data) };
      case "crc64":
        return { transactionalContentCrc64: await crc64(data) };
      default:
        return {};
    }
  }

  /** The blob's properties, set by Put Blob and by Put Block List alike. */
  #blobProperties(contentMD5: Uint8Array | undefined) {
    const s = this.settings;
    return {
      blobHTTPHeaders: contentMD5 ? { ...s.headers, blobContentMD5: contentMD5 } : s.headers,
      conditions: s.conditions,
      ...(s.metadata ? { metadata: s.metadata } : {}),
      ...(s.tags ? { tags: s.tags } : {}),
      ...(s.tier ? { tier: s.tier } : {}),
    };
  }

  async #putWhole(body: WholeBody): Promise<UploadOutcome> {
    const s = this.settings;
    const checksum =
      s.checksum === "md5"
        ? { transactionalContentMD5: await body.checksumOf("md5") }
        : s.checksum === "crc64"
          ? { transactionalContentCrc64: await body.checksumOf("crc64") }
          : {};
    // One Put Blob request stores the MD5 the service computes of what it received: only an MD5
    // the caller gave is sent as the blob's.
    const given = s.contentMD5 instanceof Uint8Array ? s.contentMD5 : undefined;
    const progress = progressReporter(s.onProgress, body.length);
    const release = await s.budget?.acquire(body.heldBytes ?? 0, s.signal);
    // Whether the whole body left before an abort: then the service may have stored the blob. A
    // small body leaves in one write as the request starts; a large one is followed by progress
    // events (only then: a progress listener costs a small request its fast timeout path).
    let bodySent = false;
    const large = body.length > SMALL_BODY;
    let response: Awaited<ReturnType<BlockBlobClient["upload"]>>;
    try {
      response = await runBlobOperation(this.#context, () => {
        bodySent = !large && !s.signal?.aborted;
        return this.#blob.upload(requestBody(body.content), body.length, {
          // One request, no siblings to stop: the caller's signal is all it needs.
          ...(s.signal ? { abortSignal: s.signal } : {}),
          ...checksum,
          ...this.#blobProperties(given),
          ...(large
            ? {
                onProgress: ({ loadedBytes }: { loadedBytes: number }) => {
                  if (loadedBytes >= body.length) bodySent = true;
                },
              }
            : {}),
        });
      });
    } catch (error) {
      if (bodySent && s.signal?.aborted) throw mayHaveBeenWritten(this.#context, "Put Blob");
      throw body.readFailure?.() ?? error;
    } finally {
      release?.();
    }
    progress.add(body.length);
    progress.finish();
    const stored = given ?? response.contentMD5;
    return {
      etag: response.etag ?? "",
      lastModified: response.lastModified ?? new Date(),
      contentLength: body.length,
      ...(stored ? { contentMD5: stored } : {}),
      blockCount: 0,
      resumedBlocks: 0,
      resumedBytes: 0,
      ...(response.requestId ? { requestId: response.requestId } : {}),
    };
  }

  async #stageAndCommit(sequence: BlockSequence): Promise<UploadOutcome> {
    const s = this.settings;
    const idOf = blockIds(sequence.resumeKey ?? randomBlockKey());
    const staged =
      sequence.resumeKey || sequence.resumeByContent
        ? await this.#uncommittedBlocks()
        : new Map<string, number>();
    const whole = s.contentMD5 === "compute" ? await OrderedMd5.create() : undefined;
    const ids: string[] = [];
    const progress = progressReporter(s.onProgress, sequence.total);
    const signal = this.#transfer.signal;
    const stageOptions = {
      abortSignal: signal,
      ...(s.leaseId !== undefined ? { conditions: { leaseId: s.leaseId } } : {}),
    };
    let bytes = 0;
    let resumedBlocks = 0;
    let resumedBytes = 0;
    await runBounded(s.concurrency, this.#transfer, sequence.next, async (job) => {
      const release = await s.budget?.acquire(job.length, signal);
      try {
        const data = typeof job.data === "function" ? await job.data() : job.data;
        const hashed = whole ? raceAbort(whole.add(job.index, data), signal) : undefined;
        // Awaited below, after the request; if the request fails first (an abort rejects both),
        // its rejection must not go unhandled: that would crash the process.
        hashed?.catch(() => {});
        const blockMd5 = sequence.resumeByContent ? await md5Of(data) : undefined;
        const id = blockMd5 ? contentBlockId(blockMd5, job.index) : idOf(job.index);
        ids[job.index] = id;
        if (staged.get(id) === data.length) {
          // Staged by an earlier run from the same file or of the same bytes (the ID says so).
          resumedBlocks++;
          resumedBytes += data.length;
        } else {
          const checksum =
            blockMd5 && s.checksum === "md5"
              ? { transactionalContentMD5: blockMd5 }
              : await this.#checksumOf(data);
          await runBlobOperation(this.#context, () =>
            this.#blob.stageBlock(id, job.body ?? requestBody(data), data.length, {
              ...stageOptions,
              ...checksum,
            }),
          );
        }
        await hashed;
        bytes += data.length;
        progress.add(data.length);
        // The request is complete (retries included) and the block hashed: the buffer can take
        // the next block.
        this.pool.give(data);
      } finally {
        release?.();
      }
    });
    const contentMD5 = whole
      ? whole.digest()
      : s.contentMD5 instanceof Uint8Array
        ? s.contentMD5
        : undefined;
    let response: Awaited<ReturnType<BlockBlobClient["commitBlockList"]>>;
    // Waiting for a slot is not sending: an abort meanwhile is a plain cancellation.
    const release = await s.budget?.acquire(0, signal);
    try {
      response = await runBlobOperation(this.#context, () =>
        this.#blob.commitBlockList(ids, {
          abortSignal: signal,
          ...this.#blobProperties(contentMD5),
        }),
      );
    } catch (error) {
      if (s.signal?.aborted) throw mayHaveBeenWritten(this.#context, "Put Block List");
      if (isStorageError(error) && error.serviceCode === "InvalidBlockList") {
        throw blocksLost(this.#context, error);
      }
      throw error;
    } finally {
      release?.();
    }
    progress.finish();
    return {
      etag: response.etag ?? "",
      lastModified: response.lastModified ?? new Date(),
      contentLength: bytes,
      ...(contentMD5 ? { contentMD5 } : {}),
      blockCount: ids.length,
      resumedBlocks,
      resumedBytes,
      ...(response.requestId ? { requestId: response.requestId } : {}),
    };
  }

  /** Blocks the service holds uncommitted for this blob, by ID, with their sizes. */
  async #uncommittedBlocks(): Promise<Map<string, number>> {
    try {
      const list = await this.#inSlot(() =>
        runBlobOperation({ ...this.#context, access: "read" }, () =>
          this.#blob.getBlockList("uncommitted", {
            abortSignal: this.#transfer.signal,
            ...(this.settings.leaseId !== undefined
              ? { conditions: { leaseId: this.settings.leaseId } }
              : {}),
          }),
        ),
      );
      return new Map((list.uncommittedBlocks ?? []).map((block) => [block.name, block.size]));
    } catch (error) {
      if (isStorageError(error, "NotFound")) return new Map();
      return withoutReadPermission(new Map<string, number>())(error);
    }
  }
}
