// Bytes in memory (a string arrives here as UTF-8): one request, or blocks that are views of the
// caller's bytes (never copied, never written to).
import { md5Of } from "#platform";
import { chooseBlockSize } from "../../../rules/chooseBlockSize.js";
import { crc64 } from "../../checksum/crc64.js";
import type { UploadOutcome, UploadPipeline, WholeBody } from "../pipeline.js";

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

/** Uploads bytes held in memory. */
export async function uploadBytes(
  pipeline: UploadPipeline,
  bytes: Uint8Array,
): Promise<UploadOutcome> {
  const plan = chooseBlockSize(bytes.length, pipeline.settings.blocks);
  if (plan.singleShot) return pipeline.send(wholeBytes(bytes));
  await pipeline.checkNotExists();
  const count = plan.blockCount ?? 0;
  let index = 0;
  return pipeline.send({
    kind: "blocks",
    total: bytes.length,
    next: async () => {
      if (index >= count) return undefined;
      const start = index * plan.blockSize;
      const data = bytes.subarray(start, Math.min(bytes.length, start + plan.blockSize));
      // The caller's own bytes: the budget counts a request slot, not memory.
      return { index: index++, length: 0, data };
    },
  });
}
