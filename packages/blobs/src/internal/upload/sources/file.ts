// A local file: its size is known, so the plan is chosen before opening it. One request streams
// the file from its handle (no buffer of the whole file); blocks are read inside the pool into
// reused buffers, so memory stays at `blockSize` × (`concurrency` + 1).
import { createHash } from "node:crypto";
import type { BigIntStats } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import type { StorageError } from "@blobkit/auth";
import { abortError, invalidArgument } from "@blobkit/auth/kit";
import { chooseBlockSize } from "../../../rules/chooseBlockSize.js";
import { Crc64 } from "../../checksum/crc64.js";
import type { UploadOutcome, UploadPipeline, WholeBody } from "../pipeline.js";
import { blocksAt, wholeBytes } from "./bytes.js";

/** Chunk size of the MD5 pass over a file that goes in one request. */
const HASH_CHUNK = 1024 * 1024;
/** Chunk size of a file streamed as the body of one request. */
const FILE_CHUNK = 256 * 1024;
/**
 * A file this small is read once into memory and sent as bytes: one read instead of a checksum
 * pass and a streamed body (for a folder of small files, that halves the file work per file).
 */
const READ_WHOLE = FILE_CHUNK;

/** Uploads the file at `path`; the handle is closed however the upload ends. */
export async function uploadFile(pipeline: UploadPipeline, path: string): Promise<UploadOutcome> {
  const info = await fileInfo(path);
  const size = Number(info.size);
  const plan = chooseBlockSize(size, pipeline.settings.blocks);
  if (!plan.singleShot) await pipeline.checkNotExists();
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw fileError(path, error);
  }
  try {
    if (plan.singleShot) {
      if (size <= READ_WHOLE) {
        const bytes = await readAt(handle, path, 0, Buffer.allocUnsafe(size));
        return await pipeline.send(wholeBytes(bytes, size));
      }
      return await pipeline.send(wholeFile(handle, path, size, pipeline));
    }
    return await pipeline.send(
      blocksAt(
        plan,
        size,
        (start, end) => ({
          length: end - start,
          data: () => readAt(handle, path, start, pipeline.pool.take(end - start)),
        }),
        pipeline.settings.resumable ? { resumeKey: resumeKeyOf(path, info, plan.blockSize) } : {},
      ),
    );
  } finally {
    await handle.close();
  }
}

/**
 * The file as the body of one Put Blob request, streamed from the handle so memory stays small
 * whatever the size (a fresh buffer of the whole file costs its page faults on every upload:
 * 44 ms for 16 MiB on the CI machine). The MD5 is worked out first, in a pass over small chunks;
 * if the file changes in between, the service rejects the body (`Md5Mismatch`) and stores nothing.
 */
function wholeFile(
  handle: FileHandle,
  path: string,
  size: number,
  pipeline: UploadPipeline,
): WholeBody {
  // A factory: each try of the retry policy reads the file again, from its start, through the
  // handle opened for the checksum (the same file, even if the path is replaced meanwhile).
  // Not the handle's createReadStream: destroying it (a reset connection) closes the handle.
  let readFailure: unknown;
  async function* chunks() {
    try {
      for (let position = 0; position < size; position += FILE_CHUNK) {
        const length = Math.min(FILE_CHUNK, size - position);
        yield await readAt(handle, path, position, Buffer.allocUnsafe(length));
      }
    } catch (error) {
      readFailure = error;
      throw error;
    }
  }
  return {
    kind: "whole",
    length: size,
    // Read again for each try, in small chunks: memory is the chunk in flight.
    heldBytes: FILE_CHUNK,
    content: () => Readable.from(chunks(), { objectMode: false }),
    checksumOf: (algorithm) =>
      checksumOfFile(handle, path, size, algorithm, pipeline.settings.signal),
    // The HTTP client reports a failed read as a network error: say what really happened.
    readFailure: () => readFailure,
  };
}

async function fileInfo(path: string): Promise<BigIntStats> {
  let info: BigIntStats;
  try {
    info = await stat(path, { bigint: true });
  } catch (error) {
    throw fileError(path, error);
  }
  if (!info.isFile()) {
    throw invalidArgument("source.path", `${JSON.stringify(path)} is not a regular file`);
  }
  return info;
}

/**
 * The key of this file's block IDs: the same file (path, device and inode), at the same size and
 * modification time (in nanoseconds), cut into the same blocks, gives the same IDs in every run.
 * A file changed in between gets other IDs, so no block of an older version is ever committed.
 */
function resumeKeyOf(path: string, info: BigIntStats, blockSize: number): string {
  const identity = [
    resolve(path),
    info.dev,
    info.ino,
    info.size,
    info.mtimeNs,
    info.ctimeNs,
    blockSize,
  ];
  return `bk1-${createHash("sha256").update(identity.join("|")).digest("hex").slice(0, 24)}`;
}

function fileError(path: string, error: unknown): StorageError {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") {
    return invalidArgument("source.path", `no file at ${JSON.stringify(path)}`);
  }
  return invalidArgument(
    "source.path",
    `${JSON.stringify(path)} cannot be read (${typeof code === "string" ? code : String(error)})`,
  );
}

/** A checksum of the first `size` bytes of a file, read in small chunks; fails if it is shorter. */
async function checksumOfFile(
  handle: FileHandle,
  path: string,
  size: number,
  algorithm: "md5" | "crc64",
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  const hasher = algorithm === "md5" ? createHash("md5") : await Crc64.create();
  const chunk = Buffer.allocUnsafe(Math.min(HASH_CHUNK, size));
  for (let position = 0; position < size; position += chunk.length) {
    if (signal?.aborted) throw abortError();
    const part = chunk.subarray(0, Math.min(chunk.length, size - position));
    hasher.update(await readAt(handle, path, position, part));
  }
  return hasher.digest();
}

/** Fills `buffer` from `position`, or fails if the file shrank meanwhile. */
async function readAt(
  handle: FileHandle,
  path: string,
  position: number,
  buffer: Uint8Array,
): Promise<Uint8Array> {
  const length = buffer.length;
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) {
      throw invalidArgument(
        "source.path",
        `${JSON.stringify(path)} became shorter during the upload (ended at byte ${position + filled})`,
      );
    }
    filled += bytesRead;
  }
  return buffer;
}
