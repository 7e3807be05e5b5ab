// The per-try timeout BlobKit installs right before the HTTP client: a try that shows no progress
// for tryTimeoutMs is aborted and reported as TRY_TIMEOUT_CODE, which the retry policy retries.
import { type PipelinePolicy, type PipelineRequest, RestError } from "@azure/core-rest-pipeline";
import { chunkedBody, UPLOAD_PROGRESS_REPORTED } from "#platform";
import { TRY_TIMEOUT_CODE } from "./retrySettings.js";

/** Name of BlobKit's per-try timeout policy in the SDK pipeline. */
export const TRY_TIMEOUT_POLICY_NAME = "blobkitTryTimeoutPolicy";

const PROGRESS_CHUNK = 256 * 1024;

/**
 * The most bytes of a request body the operating system can still hold once the last chunk has
 * been handed to it: the socket's send buffer (Linux autotunes it up to `tcp_wmem`'s maximum,
 * 4 MiB by default; macOS's automatic send buffer also stops at 4 MiB). Backpressure keeps the
 * rest of a larger body in BlobKit's hands until that much has drained, so the drain after the
 * hand-over never needs more than this divided by the drain rate. Measured on a Linux loopback
 * with a peer that reads nothing: the kernel took 3.7 MiB before writes stalled.
 */
export const SEND_QUEUE_BOUND = 4 * 1024 * 1024;

function* chunksOf(bytes: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += PROGRESS_CHUNK) {
    yield bytes.subarray(offset, Math.min(offset + PROGRESS_CHUNK, bytes.byteLength));
  }
}

/**
 * The bytes of a request body: its Content-Length, or, where the SDK sets none (a browser, where
 * `fetch` sets it), the size of bytes or a Blob; NaN for a stream of unknown size.
 */
function lengthOf(body: PipelineRequest["body"], contentLength: string | undefined): number {
  if (body === undefined || body === null) return 0;
  if (contentLength !== undefined) return Number(contentLength);
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return body.byteLength;
  if (typeof Blob === "function" && body instanceof Blob) return body.size;
  return Number.NaN;
}

/** "4 MiB", "1.5 MiB", "256 KiB", "900 bytes": sizes in the timeout's message. */
function size(bytes: number): string {
  const units: Array<[number, string]> = [
    [1024 * 1024 * 1024, "GiB"],
    [1024 * 1024, "MiB"],
    [1024, "KiB"],
  ];
  for (const [unit, name] of units) {
    if (bytes >= unit) return `${Number((bytes / unit).toFixed(1))} ${name}`;
  }
  return `${bytes} bytes`;
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
 *
 * Once a body has been handed over, the try waits `tryTimeoutMs` for the response plus the time
 * what the operating system may still hold of it ({@link SEND_QUEUE_BOUND} at most) needs to
 * drain at `minUploadBytesPerSecond`: the allowance no longer grows with the body's size.
 *
 * Where the HTTP client reports no upload progress (`fetch`, in a browser), no bytes can re-arm
 * the timer: a try with a body of known size has one deadline, `tryTimeoutMs` plus the whole body
 * at `minUploadBytesPerSecond`, so a slow link is not mistaken for a stalled one.
 */
export function createTryTimeoutPolicy(
  tryTimeoutMs: number,
  minUploadBytesPerSecond: number,
  uploadProgressReported = UPLOAD_PROGRESS_REPORTED,
): PipelinePolicy {
  const drainMs = (bytes: number) =>
    Math.ceil(
      (Math.min(bytes, uploadProgressReported ? SEND_QUEUE_BOUND : bytes) * 1000) /
        minUploadBytesPerSecond,
    );
  const rate = `${size(minUploadBytesPerSecond)}/s`;
  /** Why the try was aborted, in the words of the Timeout error's message. */
  const afterBody = (bytes: number) =>
    uploadProgressReported
      ? `no response within ${tryTimeoutMs} ms after the ${size(bytes)} body was sent (plus ${drainMs(bytes)} ms allowed for it to drain at ${rate})`
      : `no response within ${tryTimeoutMs} ms plus ${drainMs(bytes)} ms for the ${size(bytes)} body at ${rate}`;
  const noResponse = `no response within the per-try timeout of ${tryTimeoutMs} ms`;
  const timedOut = (request: PipelineRequest, why: string) =>
    new RestError(why, { code: TRY_TIMEOUT_CODE, request });
  return {
    name: TRY_TIMEOUT_POLICY_NAME,
    async sendRequest(request, next) {
      if (tryTimeoutMs <= 0) return next(request);
      const outer = request.abortSignal as AbortSignal | undefined;
      const originalBody = request.body;
      const originalProgress = request.onUploadProgress;
      const bodyLength = lengthOf(originalBody, request.headers.get("Content-Length"));
      // A small body goes out in one write, so there is no progress to watch: one deadline,
      // allowing the body to drain at the slowest speed we accept.
      // Without upload progress, every body of known size is handled so: it has no progress either.
      const oneDeadline =
        (bodyLength <= PROGRESS_CHUNK && !originalProgress) || !uploadProgressReported;
      if (Number.isFinite(bodyLength) && oneDeadline) {
        const originalTimeout = request.timeout;
        request.timeout = tryTimeoutMs + drainMs(bodyLength);
        try {
          return await next(request);
        } catch (error) {
          // The only signals of this try are the caller's and the HTTP client's timer.
          if (error instanceof Error && error.name === "AbortError" && !outer?.aborted) {
            throw timedOut(request, bodyLength > 0 ? afterBody(bodyLength) : noResponse);
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
      const chunked =
        originalBody instanceof Uint8Array && originalBody.byteLength > PROGRESS_CHUNK
          ? chunkedBody(() => chunksOf(originalBody))
          : undefined;
      if (chunked && originalBody instanceof Uint8Array) {
        if (!request.headers.has("Content-Length")) {
          request.headers.set("Content-Length", originalBody.byteLength);
        }
        request.body = chunked;
      }
      const length = Number(request.headers.get("Content-Length") ?? Number.NaN);
      let sent = 0;
      // Sending the body is progress: each chunk written re-arms the timer.
      request.onUploadProgress = (progress) => {
        sent = progress.loadedBytes;
        // Once the whole body is handed to the OS, part of it may still sit in socket buffers
        // (megabytes on fast links): allow that part to drain at the slowest speed we accept.
        arm(sent >= length ? tryTimeoutMs + drainMs(length) : tryTimeoutMs);
        originalProgress?.(progress);
      };
      arm(tryTimeoutMs);
      try {
        return await next(request);
      } catch (error) {
        if (controller.signal.aborted && !outer?.aborted) {
          throw timedOut(
            request,
            sent >= length
              ? afterBody(length)
              : `no progress for ${tryTimeoutMs} ms while sending the body (${size(sent)} of ${Number.isFinite(length) ? size(length) : "an unknown size"} sent)`,
          );
        }
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
