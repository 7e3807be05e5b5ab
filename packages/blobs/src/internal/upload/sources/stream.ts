// A Node.js Readable or a web ReadableStream: read through one BlockReader whose buffers come from
// the pipeline's pool, with a size the caller gave or not; cancelled when the upload fails.
import type { Readable } from "node:stream";
import { BlockReader } from "../block-reader.js";
import type { UploadOutcome, UploadPipeline } from "../pipeline.js";
import { uploadSizedStream } from "./stream-sized.js";
import { uploadUnsizedStream } from "./stream-unsized.js";

/** Uploads a stream; destroys (or cancels) it if the upload fails. */
export async function uploadStream(
  pipeline: UploadPipeline,
  stream: Readable | ReadableStream<Uint8Array>,
): Promise<UploadOutcome> {
  const reader = new BlockReader(stream, pipeline.signal, pipeline.pool);
  const size = pipeline.settings.size;
  try {
    return size !== undefined
      ? await uploadSizedStream(pipeline, reader, size)
      : await uploadUnsizedStream(pipeline, reader);
  } catch (error) {
    reader.cancel();
    throw error;
  }
}
