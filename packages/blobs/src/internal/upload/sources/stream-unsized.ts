// A stream of unknown size: read ahead up to the single-shot limit to decide between one request
// and blocks, then stage blocks that start small and double every 10,000, so memory stays low for
// common streams while a huge one still fits in 50,000 blocks.
import { invalidArgument } from "@blobkit/auth/kit";
import {
  BLOCK_SIZE_DOUBLING_INTERVAL,
  type ChooseBlockSizeResult,
  chooseBlockSize,
  DEFAULT_BLOCK_OPTIONS,
  MAX_BLOCK_COUNT,
  MAX_BLOCK_SIZE,
} from "../../../rules/chooseBlockSize.js";
import type { BlockReader } from "../block-reader.js";
import type { UploadOutcome, UploadPipeline } from "../pipeline.js";
import { wholeBytes } from "./bytes.js";

/** Size of block `index` (from 0) under a plan. */
export function blockSizeAt(plan: ChooseBlockSizeResult, index: number): number {
  if (!plan.growing) return plan.blockSize;
  const doublings = Math.floor(index / BLOCK_SIZE_DOUBLING_INTERVAL);
  return Math.min(MAX_BLOCK_SIZE, plan.blockSize * 2 ** doublings);
}

/** Uploads `reader`'s stream to its end, whatever its length (within the plan's capacity). */
export async function uploadUnsizedStream(
  pipeline: UploadPipeline,
  reader: BlockReader,
): Promise<UploadOutcome> {
  const blocks = pipeline.settings.blocks;
  const plan = chooseBlockSize(undefined, blocks);
  // With no length to go by, read ahead at most one block by default: a larger read-ahead would
  // sit in memory next to the blocks in flight (a 1 GiB stream peaked at 214 MiB RSS with 32 MiB).
  const maxSingleShotSize =
    blocks.maxSingleShotSize ?? Math.min(DEFAULT_BLOCK_OPTIONS.maxSingleShotSize, plan.blockSize);
  await pipeline.checkNotExists();
  const ended = await reader.fill(maxSingleShotSize + 1);
  if (ended && reader.buffered <= maxSingleShotSize) {
    const data = await reader.read(reader.buffered);
    return pipeline.send(wholeBytes(data, data.length));
  }
  let index = 0;
  return pipeline.send({
    kind: "blocks",
    total: undefined,
    next: async () => {
      const wanted = blockSizeAt(plan, index);
      const data = await reader.read(wanted);
      if (data.length === 0) return undefined;
      if (index >= MAX_BLOCK_COUNT) {
        throw invalidArgument(
          "size",
          `the stream is larger than ${plan.maxSize} bytes, the most ${MAX_BLOCK_COUNT} growing blocks from a blockSize of ${plan.blockSize} can hold; pass size, or a larger blockSize`,
        );
      }
      return { index: index++, length: data.length, data };
    },
  });
}
