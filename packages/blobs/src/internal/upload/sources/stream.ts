// A Node.js Readable or a web ReadableStream: read through one BlockReader whose buffers come from
// the pipeline's pool, with a size the caller gave or not; cancelled when the upload fails.
import type { Readable } from "node:stream";
import { sourceError } from "@blobkit/auth/kit";
import { BlockReader } from "../block-reader.js";
import type { UploadOutcome, UploadPipeline } from "../pipeline.js";
import { uploadSizedStream } from "./stream-sized.js";
import { uploadUnsizedStream } from "./stream-unsized.js";

/** Uploads a stream; destroys (or cancels) it if the upload fails. */
export async function uploadStream(
  pipeline: UploadPipeline,
  stream: Readable | ReadableStream<Uint8Array>,
): Promise<UploadOutcome> {
  // A stream that fails is the caller's source failing, not the service: say which side it was.
  const reader = new BlockReader(stream, pipeline.signal, pipeline.pool, (error) =>
    sourceError(error, pipeline.context),
  );
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
