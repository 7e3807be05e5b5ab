// The per-try timeout BlobKit installs right before the HTTP client: a try that shows no progress
// for tryTimeoutMs is aborted and reported as TRY_TIMEOUT_CODE, which the retry policy retries.
import { Readable } from "node:stream";
import { type PipelinePolicy, type PipelineRequest, RestError } from "@azure/core-rest-pipeline";
import { TRY_TIMEOUT_CODE } from "./retrySettings.js";

/** Name of BlobKit's per-try timeout policy in the SDK pipeline. */
export const TRY_TIMEOUT_POLICY_NAME = "blobkitTryTimeoutPolicy";

const PROGRESS_CHUNK = 256 * 1024;

function* chunksOf(bytes: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += PROGRESS_CHUNK) {
    yield bytes.subarray(offset, Math.min(offset + PROGRESS_CHUNK, bytes.byteLength));
  }
}

/**
 * Builds the per-try timeout policy. It sits after signing, right before the HTTP client, and
 * aborts a try that shows no progress for `tryTimeoutMs`.
 *
 * A try whose body is small or absent (every request but block and blob uploads) has one
 * deadline, which the HTTP client's own timer enforces (`request.timeout`); only a large body,
 * whose bytes leaving re-arm the timer, gets an `AbortSignal` of this policy. Handing Node's HTTP
 * client a signal costs about 30 µs of CPU per request (listeners and a clean-up promise per
 * request, measured against a loopback stub), a third of what BlobKit added to a 1 KiB upload.
 */
export function createTryTimeoutPolicy(
  tryTimeoutMs: number,
  minUploadBytesPerSecond: number,
): PipelinePolicy {
  const allowance = (bytes: number) => tryTimeoutMs + (bytes * 1000) / minUploadBytesPerSecond;
  const timedOut = (request: PipelineRequest) =>
    new RestError(`no response within the per-try timeout of ${tryTimeoutMs} ms`, {
      code: TRY_TIMEOUT_CODE,
      request,
    });
  return {
    name: TRY_TIMEOUT_POLICY_NAME,
    async sendRequest(request, next) {
      if (tryTimeoutMs <= 0) return next(request);
      const outer = request.abortSignal as AbortSignal | undefined;
      const originalBody = request.body;
      const originalProgress = request.onUploadProgress;
      const bodyLength =
        originalBody === undefined || originalBody === null
          ? 0
          : Number(request.headers.get("Content-Length") ?? Number.NaN);
      // A small body goes out in one write, so there is no progress to watch: one deadline,
      // allowing the body to drain at the slowest speed we accept.
      if (Number.isFinite(bodyLength) && bodyLength <= PROGRESS_CHUNK && !originalProgress) {
        const originalTimeout = request.timeout;
        request.timeout = allowance(bodyLength);
        try {
          return await next(request);
        } catch (error) {
          // The only signals of this try are the caller's and the HTTP client's timer.
          if (error instanceof Error && error.name === "AbortError" && !outer?.aborted) {
            throw timedOut(request);
          }
          throw error;
        } finally {
          request.timeout = originalTimeout;
        }
      }
      const controller = new AbortController();
      const originalSignal = request.abortSignal;
      let timer: NodeJS.Timeout | undefined;
      const arm = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(), ms);
      };
      // AbortSignal.any, not a listener removed when the try returns: a download's body is read
      // after the headers have arrived, and the caller's abort must still destroy it then.
      request.abortSignal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
      // The HTTP client reports a Buffer body as sent in one go, before it is on the wire. Handing
      // it over as a stream of small chunks makes each progress event mean bytes really left.
      if (originalBody instanceof Uint8Array && originalBody.byteLength > PROGRESS_CHUNK) {
        if (!request.headers.has("Content-Length")) {
          request.headers.set("Content-Length", originalBody.byteLength);
        }
        request.body = () => Readable.from(chunksOf(originalBody), { objectMode: false });
      }
      const length = Number(request.headers.get("Content-Length") ?? Number.NaN);
      // Sending the body is progress: each chunk written re-arms the timer.
      request.onUploadProgress = (progress) => {
        // Once the whole body is handed to the OS, much of it may still sit in socket buffers
        // (megabytes on fast links): allow it to drain at the slowest speed we accept.
        arm(progress.loadedBytes >= length ? allowance(length) : tryTimeoutMs);
        originalProgress?.(progress);
      };
      arm(tryTimeoutMs);
      try {
        return await next(request);
      } catch (error) {
        if (controller.signal.aborted && !outer?.aborted) throw timedOut(request);
        throw error;
      } finally {
        clearTimeout(timer);
        if (originalBody !== undefined) request.body = originalBody;
        if (originalSignal) request.abortSignal = originalSignal;
        else delete request.abortSignal;
        if (originalProgress) request.onUploadProgress = originalProgress;
        else delete request.onUploadProgress;
      }
    },
  };
}
