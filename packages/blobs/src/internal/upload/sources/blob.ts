// A Blob or a File (a browser's picked file): read a block at a time with `slice().arrayBuffer()`,
// for the checksums, and sent as the slice itself where the platform sends a Blob by reference (a
// browser; Node.js sends the bytes read). Chromium reads a File's stream in 64 KiB chunks at about
// 80 MB/s, and copies bytes to its network process in pieces, but hands a slice over whole. A
// File's blocks are named by their content, so uploading the same File again resumes.
import { blobBody, md5Of } from "#platform";
import { chooseBlockSize } from "../../../rules/chooseBlockSize.js";
import { crc64 } from "../../checksum/crc64.js";
import type { UploadOutcome, UploadPipeline } from "../pipeline.js";

/** Uploads `blob`; `file` when it is a `File` (resumable by its blocks' content). */
export async function uploadBlobSource(
  pipeline: UploadPipeline,
  blob: Blob,
  file: boolean,
): Promise<UploadOutcome> {
  const size = blob.size;
  const plan = chooseBlockSize(size, pipeline.settings.blocks);
  const read = async (slice: Blob) => new Uint8Array(await slice.arrayBuffer());
  if (plan.singleShot) {
    const data = await read(blob);
    return pipeline.send({
      kind: "whole",
      length: data.length,
      content: blobBody(blob) ?? data,
      checksumOf: (algorithm) => (algorithm === "md5" ? md5Of(data) : crc64(data)),
    });
  }
  await pipeline.checkNotExists();
  const count = plan.blockCount ?? 0;
  let index = 0;
  return pipeline.send({
    kind: "blocks",
    total: size,
    ...(file && pipeline.settings.resumable ? { resumeByContent: true } : {}),
    next: async () => {
      if (index >= count) return undefined;
      const start = index * plan.blockSize;
      const slice = blob.slice(start, Math.min(size, start + plan.blockSize));
      return { index: index++, length: slice.size, data: () => read(slice), body: blobBody(slice) };
    },
  });
}
