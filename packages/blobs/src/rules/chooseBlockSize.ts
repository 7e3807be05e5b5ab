// How uploadBlob splits a source into blocks: a pure function, so the 50,000-block limit can be
// checked for any size without sending a byte.
import { checkInteger, invalidArgument } from "@blobkit/auth/kit";

const MiB = 1024 * 1024;

/** Most blocks a block blob may have. */
export const MAX_BLOCK_COUNT = 50_000;
/** Largest block Azure accepts (Put Block), in bytes: 4,000 MiB. */
export const MAX_BLOCK_SIZE = 4000 * MiB;
/** Largest blob Azure accepts in one Put Blob request, in bytes: 5,000 MiB. */
export const MAX_SINGLE_SHOT_SIZE = 5000 * MiB;
/** Largest block blob: 50,000 blocks of 4,000 MiB (about 190.7 TiB). */
export const MAX_BLOCK_BLOB_SIZE = MAX_BLOCK_COUNT * MAX_BLOCK_SIZE;
/**
 * When the size of a stream is unknown, the block size doubles after every this many blocks, so
 * a stream can grow far beyond what its first block size allows while memory stays small for
 * the common, smaller streams.
 */
export const BLOCK_SIZE_DOUBLING_INTERVAL = 10_000;

/** The defaults {@link chooseBlockSize} and {@link uploadBlob} use. */
export const DEFAULT_BLOCK_OPTIONS = Object.freeze({
  /** Smallest block size chosen automatically for a source of known size: 8 MiB. */
  blockSize: 8 * MiB,
  /**
   * First block size for a stream of unknown size: 4 MiB, doubling every 10,000 blocks. Smaller
   * than for known sizes because such a stream is copied into blocks that are all held at once
   * (`concurrency` + 1 of them): it keeps a 1 GiB stream upload about 25 MiB lower in memory at
   * the same speed (`pnpm bench`).
   */
  unknownSizeBlockSize: 4 * MiB,
  /** Sources up to this size go in one request: 32 MiB. */
  maxSingleShotSize: 32 * MiB,
});

/** Options of {@link chooseBlockSize}; {@link UploadBlobOptions} extends them. */
export interface ChooseBlockSizeOptions {
  /**
   * Size of each block in bytes (1 B to 4,000 MiB). When left out, BlobKit picks 8 MiB, or the
   * smallest whole number of MiB that keeps the blob within 50,000 blocks; for a stream of
   * unknown size, 4 MiB to start with, doubling every 10,000 blocks. A fixed size that would need
   * more than 50,000 blocks is rejected before any request.
   * @defaultValue 8 MiB, raised for sources over 390 GiB; 4 MiB and growing for streams of unknown size
   */
  blockSize?: number;
  /**
   * Sources of at most this many bytes are sent in a single Put Blob request instead of blocks
   * (0 to 5,000 MiB; 0 stages blocks for everything except empty sources). For streams of unknown
   * size, BlobKit reads this much first and then decides, so this also bounds memory; for them the
   * default is one block (4 MiB), not 32 MiB, so the read-ahead never adds to the blocks in flight.
   * @defaultValue 32 MiB
   */
  maxSingleShotSize?: number;
}

/** How a source of a given size will be uploaded. */
export interface ChooseBlockSizeResult {
  /** Whether the whole source goes in one Put Blob request. */
  singleShot: boolean;
  /**
   * Bytes per block; the last block may be smaller. For a single-shot upload, the size itself.
   * When the size is unknown, the size of the first {@link BLOCK_SIZE_DOUBLING_INTERVAL} blocks.
   */
  blockSize: number;
  /** Blocks to stage: 0 for a single-shot upload, `undefined` when the size is unknown. */
  blockCount: number | undefined;
  /**
   * Whether the block size doubles every {@link BLOCK_SIZE_DOUBLING_INTERVAL} blocks (only when
   * the size is unknown), up to 4,000 MiB.
   */
  growing: boolean;
  /** The largest source this plan can upload within 50,000 blocks. */
  maxSize: number;
}

/**
 * Decides how {@link uploadBlob} splits a source of `size` bytes: one Put Blob request up to
 * `maxSingleShotSize`, otherwise blocks of `blockSize` (8 MiB by default, raised to the smallest
 * whole MiB that keeps the blob within Azure's 50,000 blocks). With an unknown size (a stream
 * without a `size` hint), blocks start at `blockSize` (4 MiB by default) and double every 10,000
 * blocks, so a stream of up to 31 × 10,000 × `blockSize` (about 1.2 TiB with 4 MiB) fits; pass
 * `size` or a larger `blockSize` for more. A pure function:
 * use it to check a plan, or to see what memory an upload will take (about `blockSize` ×
 * (`concurrency` + 1)). Throws an `InvalidArgument` {@link @blobkit/auth!StorageError} for a
 * size or option that cannot work.
 *
 * @see [Performance tuning for data transfers: See how an upload will be split](../../../../apps/docs/guides/performance-tuning.md#see-how-an-upload-will-be-split)
 *
 * @example
 * ```ts
 * import { chooseBlockSize } from "@blobkit/blobs";
 *
 * chooseBlockSize(200 * 1024 ** 3);
 * // { singleShot: false, blockSize: 8388608, blockCount: 25600, growing: false, ... }
 * chooseBlockSize(1024 ** 4); // 1 TiB: 21 MiB blocks, 49,933 of them
 * ```
 */
export function chooseBlockSize(
  size: number | undefined,
  options: ChooseBlockSizeOptions = {},
): ChooseBlockSizeResult {
  const fixed = checkInteger("blockSize", options.blockSize, {
    min: 1,
    max: MAX_BLOCK_SIZE,
    unit: "bytes",
  });
  const maxSingleShotSize = checkInteger(
    "maxSingleShotSize",
    options.maxSingleShotSize,
    { min: 0, max: MAX_SINGLE_SHOT_SIZE, unit: "bytes" },
    DEFAULT_BLOCK_OPTIONS.maxSingleShotSize,
  );
  if (size === undefined) {
    const blockSize = fixed ?? DEFAULT_BLOCK_OPTIONS.unknownSizeBlockSize;
    return {
      singleShot: false,
      blockSize,
      blockCount: undefined,
      growing: true,
      maxSize: growingCapacity(blockSize),
    };
  }
  checkInteger("size", size, { min: 0, max: Number.MAX_SAFE_INTEGER, unit: "bytes" });
  if (size > MAX_BLOCK_BLOB_SIZE) {
    throw invalidArgument(
      "size",
      `${size} bytes is more than the largest block blob (50,000 blocks of 4,000 MiB, ${MAX_BLOCK_BLOB_SIZE} bytes)`,
    );
  }
  if (size === 0 || size <= maxSingleShotSize) {
    return { singleShot: true, blockSize: size, blockCount: 0, growing: false, maxSize: size };
  }
  const needed = Math.ceil(size / MAX_BLOCK_COUNT);
  let blockSize: number;
  if (fixed !== undefined) {
    if (fixed < needed) {
      throw invalidArgument(
        "blockSize",
        `${fixed} bytes would split ${size} bytes into ${Math.ceil(size / fixed)} blocks; a blob has at most ${MAX_BLOCK_COUNT}. Use at least ${needed} bytes, or leave blockSize out`,
      );
    }
    blockSize = fixed;
  } else {
    blockSize = Math.min(
      MAX_BLOCK_SIZE,
      Math.max(DEFAULT_BLOCK_OPTIONS.blockSize, Math.ceil(needed / MiB) * MiB),
    );
  }
  return {
    singleShot: false,
    blockSize,
    blockCount: Math.ceil(size / blockSize),
    growing: false,
    maxSize: blockSize * MAX_BLOCK_COUNT,
  };
}

function growingCapacity(blockSize: number): number {
  let total = 0;
  for (let start = 0; start < MAX_BLOCK_COUNT; start += BLOCK_SIZE_DOUBLING_INTERVAL) {
    const size = Math.min(
      MAX_BLOCK_SIZE,
      blockSize * 2 ** Math.floor(start / BLOCK_SIZE_DOUBLING_INTERVAL),
    );
    total += size * Math.min(BLOCK_SIZE_DOUBLING_INTERVAL, MAX_BLOCK_COUNT - start);
  }
  return total;
}
