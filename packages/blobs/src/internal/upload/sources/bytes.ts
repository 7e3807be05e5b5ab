// Bytes in memory (a string arrives here as UTF-8): one request, or blocks that are views of the
// caller's bytes (never copied, never written to).
import { md5Of } from "#platform";
import { type ChooseBlockSizeResult, chooseBlockSize } from "../../../rules/chooseBlockSize.js";
import { crc64 } from "../../checksum/crc64.js";
import type {
  BlockJob,
  BlockSequence,
  UploadOutcome,
  UploadPipeline,
  WholeBody,
} from "../pipeline.js";

/** `data` as the whole body of one request; its MD5 is computed in one call (`crypto.hash`). */
export function wholeBytes(data: Uint8Array, heldBytes = 0): WholeBody {
  return {
    kind: "whole",
    length: data.length,
    heldBytes,
    content: data,
    checksumOf: (algorithm) => (algorithm === "md5" ? md5Of(data) : crc64(data)),
  };
}

/**
 * The blocks of a source whose bytes lie at known offsets (bytes in memory, a file, a Blob): block
 * after block of `plan` over `size` bytes, each made by `job` from its `[start, end)`.
 */
export function blocksAt(
  plan: ChooseBlockSizeResult,
  size: number,
  job: (start: number, end: number) => Omit<BlockJob, "index">,
  resume: Pick<BlockSequence, "resumeKey" | "resumeByContent"> = {},
): BlockSequence {
  const count = plan.blockCount ?? 0;
  let index = 0;
  return {
    kind: "blocks",
    total: size,
    ...resume,
    next: async () => {
      if (index >= count) return undefined;
      const start = index * plan.blockSize;
      return { index: index++, ...job(start, Math.min(size, start + plan.blockSize)) };
    },
  };
}

/** Uploads bytes held in memory. */
export async function uploadBytes(
  pipeline: UploadPipeline,
  bytes: Uint8Array,
): Promise<UploadOutcome> {
  const plan = chooseBlockSize(bytes.length, pipeline.settings.blocks);
  if (plan.singleShot) return pipeline.send(wholeBytes(bytes));
  await pipeline.checkNotExists();
  // The caller's own bytes: the budget counts a request slot, not memory.
  return pipeline.send(
    blocksAt(plan, bytes.length, (start, end) => ({ length: 0, data: bytes.subarray(start, end) })),
  );
}
