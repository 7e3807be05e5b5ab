import { isStorageError } from "@blobkit/auth";
import { describe, expect, test } from "vitest";
import {
  BLOCK_SIZE_DOUBLING_INTERVAL,
  chooseBlockSize,
  DEFAULT_BLOCK_OPTIONS,
  MAX_BLOCK_BLOB_SIZE,
  MAX_BLOCK_COUNT,
  MAX_BLOCK_SIZE,
} from "../src/index.js";
import { blockSizeAt } from "../src/internal/upload/sources/stream-unsized.js";

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

/** Sums block sizes until `size` bytes are covered; returns the number of blocks. */
function simulate(plan: ReturnType<typeof chooseBlockSize>, size: number): number {
  let covered = 0;
  let blocks = 0;
  while (covered < size) {
    covered += blockSizeAt(plan, blocks);
    blocks++;
  }
  return blocks;
}

describe("chooseBlockSize", () => {
  test("small and empty sources go in one request", () => {
    expect(chooseBlockSize(0)).toMatchObject({ singleShot: true, blockCount: 0 });
    expect(chooseBlockSize(1)).toMatchObject({ singleShot: true, blockCount: 0 });
    expect(chooseBlockSize(DEFAULT_BLOCK_OPTIONS.maxSingleShotSize)).toMatchObject({
      singleShot: true,
    });
  });

  test("one byte over the single-shot limit is staged in blocks of the default size", () => {
    const plan = chooseBlockSize(DEFAULT_BLOCK_OPTIONS.maxSingleShotSize + 1);
    expect(plan).toMatchObject({
      singleShot: false,
      blockSize: DEFAULT_BLOCK_OPTIONS.blockSize,
      blockCount: 5,
      growing: false,
    });
  });

  test("exact block boundaries: n blocks for n × blockSize, n + 1 for one byte more", () => {
    const options = { blockSize: 1024, maxSingleShotSize: 1024 };
    expect(chooseBlockSize(1024, options)).toMatchObject({ singleShot: true });
    expect(chooseBlockSize(1025, options)).toMatchObject({ singleShot: false, blockCount: 2 });
    expect(chooseBlockSize(2048, options)).toMatchObject({ singleShot: false, blockCount: 2 });
    expect(chooseBlockSize(2049, options)).toMatchObject({ singleShot: false, blockCount: 3 });
    expect(chooseBlockSize(0, { maxSingleShotSize: 0 })).toMatchObject({ singleShot: true });
    expect(chooseBlockSize(1, { maxSingleShotSize: 0 })).toMatchObject({ blockCount: 1 });
  });

  test("a simulated 200 GiB blob stays under 50,000 blocks", () => {
    const plan = chooseBlockSize(200 * GiB);
    expect(plan.blockCount).toBeLessThan(MAX_BLOCK_COUNT);
    expect(plan.blockCount).toBe(Math.ceil((200 * GiB) / plan.blockSize));
    expect(simulate(plan, 200 * GiB)).toBe(plan.blockCount);
  });

  test("larger blobs get larger blocks, in whole MiB, always within 50,000 blocks", () => {
    for (const size of [390 * GiB, 391 * GiB, 1 * TiB, 10 * TiB, 100 * TiB, MAX_BLOCK_BLOB_SIZE]) {
      const plan = chooseBlockSize(size);
      expect(plan.blockCount, `size ${size}`).toBeLessThanOrEqual(MAX_BLOCK_COUNT);
      expect(plan.blockSize % MiB).toBe(0);
      expect(plan.blockSize).toBeLessThanOrEqual(MAX_BLOCK_SIZE);
    }
    expect(chooseBlockSize(1 * TiB)).toMatchObject({ blockSize: 21 * MiB, blockCount: 49_933 });
    expect(chooseBlockSize(MAX_BLOCK_BLOB_SIZE)).toMatchObject({
      blockSize: MAX_BLOCK_SIZE,
      blockCount: MAX_BLOCK_COUNT,
    });
  });

  test("a stream of unknown size grows its blocks: 200 GiB takes fewer than 50,000", () => {
    const plan = chooseBlockSize(undefined);
    expect(plan).toMatchObject({
      singleShot: false,
      growing: true,
      blockCount: undefined,
      blockSize: DEFAULT_BLOCK_OPTIONS.unknownSizeBlockSize,
    });
    expect(plan.blockSize).toBe(4 * MiB);
    // 31 x 10,000 x 4 MiB: about 1.2 TiB without a size hint.
    expect(plan.maxSize).toBe(31 * BLOCK_SIZE_DOUBLING_INTERVAL * 4 * MiB);
    expect(plan.maxSize).toBeGreaterThan(1.1 * TiB);
    const blocks = simulate(plan, 200 * GiB);
    expect(blocks).toBeLessThan(MAX_BLOCK_COUNT);
    expect(blocks).toBeGreaterThan(BLOCK_SIZE_DOUBLING_INTERVAL);
    // The block size doubles only every 10,000 blocks, so small streams keep small blocks.
    expect(blockSizeAt(plan, BLOCK_SIZE_DOUBLING_INTERVAL - 1)).toBe(plan.blockSize);
    expect(blockSizeAt(plan, BLOCK_SIZE_DOUBLING_INTERVAL)).toBe(plan.blockSize * 2);
    expect(simulate(plan, plan.maxSize)).toBe(MAX_BLOCK_COUNT);
  });

  test("a fixed block size is kept, and refused when it would need more than 50,000 blocks", () => {
    expect(chooseBlockSize(100 * MiB, { blockSize: 4 * MiB })).toMatchObject({
      blockSize: 4 * MiB,
      blockCount: 25,
    });
    let error: unknown;
    try {
      chooseBlockSize(200 * GiB, { blockSize: 4 * MiB });
    } catch (caught) {
      error = caught;
    }
    expect(isStorageError(error, "InvalidArgument")).toBe(true);
    expect((error as Error).message).toMatch(/51200 blocks; a blob has at most 50000/);
    expect((error as { field?: string }).field).toBe("blockSize");
  });

  test("impossible sizes and options are rejected with the field named", () => {
    const cases: Array<[() => unknown, string]> = [
      [() => chooseBlockSize(-1), "size"],
      [() => chooseBlockSize(1.5), "size"],
      [() => chooseBlockSize(MAX_BLOCK_BLOB_SIZE + 1), "size"],
      [() => chooseBlockSize(10, { blockSize: 0 }), "blockSize"],
      [() => chooseBlockSize(10, { blockSize: MAX_BLOCK_SIZE + 1 }), "blockSize"],
      [() => chooseBlockSize(10, { maxSingleShotSize: -1 }), "maxSingleShotSize"],
      [() => chooseBlockSize(10, { maxSingleShotSize: 5001 * MiB }), "maxSingleShotSize"],
      [() => chooseBlockSize(undefined, { blockSize: Number.NaN }), "blockSize"],
    ];
    for (const [call, field] of cases) {
      expect(call).toThrow(expect.objectContaining({ code: "InvalidArgument", field }));
    }
  });
});
