// A stream whose size the caller gave: the plan is chosen from that size, progress has a total,
// and a stream of another length fails before anything is committed.
import { invalidArgument } from "@blobkit/auth/kit";
import { chooseBlockSize } from "../../../rules/chooseBlockSize.js";
import type { BlockReader } from "../block-reader.js";
import type { UploadOutcome, UploadPipeline } from "../pipeline.js";
import { wholeBytes } from "./bytes.js";

/** Uploads exactly `size` bytes from `reader`. */
export async function uploadSizedStream(
  pipeline: UploadPipeline,
  reader: BlockReader,
  size: number,
): Promise<UploadOutcome> {
  const plan = chooseBlockSize(size, pipeline.settings.blocks);
  if (plan.singleShot) {
    const data = await reader.read(size);
    await expectEnd(reader, data.length, size);
    return pipeline.send(wholeBytes(data, data.length));
  }
  await pipeline.checkNotExists();
  const count = plan.blockCount ?? 0;
  let index = 0;
  return pipeline.send({
    kind: "blocks",
    total: size,
    next: async () => {
      if (index >= count) {
        await expectEnd(reader, reader.consumed, size);
        return undefined;
      }
      const wanted = Math.min(plan.blockSize, size - index * plan.blockSize);
      const data = await reader.read(wanted);
      if (data.length < wanted) await expectEnd(reader, reader.consumed, size);
      return { index: index++, length: data.length, data };
    },
  });
}

/** Fails (before any commit) if the stream did not have exactly `size` bytes. */
async function expectEnd(reader: BlockReader, got: number, size: number): Promise<void> {
  if (got < size) {
    throw invalidArgument("size", `is ${size} but the stream ended after ${got} bytes`);
  }
  const ended = await reader.fill(1);
  if (!ended || reader.buffered > 0) {
    throw invalidArgument("size", `is ${size} but the stream has more bytes`);
  }
}
