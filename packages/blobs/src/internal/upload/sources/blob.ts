// A Blob or a File (a browser's picked file): read a block at a time with `slice().arrayBuffer()`,
// for the checksums, and sent as the slice itself where the platform sends a Blob by reference (a
// browser; Node.js sends the bytes read). Chromium reads a File's stream in 64 KiB chunks at about
// 80 MB/s, and copies bytes to its network process in pieces, but hands a slice over whole. A
// File's blocks are named by their content, so uploading the same File again resumes.
import { blobBody } from "#platform";
import { chooseBlockSize } from "../../../rules/chooseBlockSize.js";
import type { UploadOutcome, UploadPipeline } from "../pipeline.js";
import { blocksAt, wholeBytes } from "./bytes.js";

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
    // Read here, so held while it is sent, as a stream's bytes were.
    const data = await read(blob);
    return pipeline.send({ ...wholeBytes(data, data.length), content: blobBody(blob) ?? data });
  }
  await pipeline.checkNotExists();
  return pipeline.send(
    blocksAt(
      plan,
      size,
      (start, end) => {
        const slice = blob.slice(start, end);
        return { length: slice.size, data: () => read(slice), body: blobBody(slice) };
      },
      file && pipeline.settings.resumable ? { resumeByContent: true } : {},
    ),
  );
}
