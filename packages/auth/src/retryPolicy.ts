// The retry policy of "Configure a retry policy", as options: exponential backoff with jitter,
// a secondary host for reads, and a client-side per-try timeout that really aborts the request.

import { Readable } from "node:stream";
import {
  isRestError,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
  RestError,
} from "@azure/core-rest-pipeline";
import { describeValue } from "./describeValue.js";
import { invalidArgument } from "./StorageError.js";

/** Why a request is tried again. */
export type RetryReason = "timeout" | "network" | "throttled" | "server-error";

/** Passed to {@link RetryOptions.onRetry} before each retry. */
export interface RetryEvent {
  /** The try that failed, from 1. */
  attempt: number;
  /** Why it is retried. */
  reason: RetryReason;
  /** HTTP status of the failed try, if the service answered. */
  statusCode?: number;
  /** How long BlobKit waits before the next try. */
  delayMs: number;
  /** Method and path of the request (no query string, so no SAS). */
  request: string;
}

/**
 * How BlobKit retries and times out each request. Every field is optional.
 *
 * @example
 * ```ts
 * const service = await connect({
 *   method: "accountKey", accountName, accountKey,
 *   retry: { maxTries: 5, tryTimeoutMs: 10_000, retryDelayMs: 500, maxRetryDelayMs: 8_000 },
 * });
 * ```
 */
export interface RetryOptions {
  /**
   * Total number of tries, including the first (1 disables retries).
   * @defaultValue 4
   */
  maxTries?: number;
  /**
   * Client-side per-try timeout: the longest one try may wait for the service's response without
   * any sign of progress. While a request body is still being handed to the network, each chunk
   * re-arms the timer; once it is all handed over, the timer allows for it to drain at
   * {@link RetryOptions.minUploadBytesPerSecond}. When it passes, the request is aborted and
   * retried. The SDK's own `tryTimeoutInMs` only asks the server to time out, so a server that
   * never answers would hang it forever; this one cannot. 0 disables it.
   * @defaultValue 30000
   */
  tryTimeoutMs?: number;
  /**
   * The slowest upload speed to allow for: a request body of n bytes gets n / this seconds on top
   * of {@link RetryOptions.tryTimeoutMs}, because the operating system may buffer megabytes of it
   * before the network has carried them.
   * @defaultValue 65536 (64 KiB/s)
   */
  minUploadBytesPerSecond?: number;
  /**
   * Base delay of the exponential backoff: try n waits about `retryDelayMs * 2^(n-1)`, with jitter.
   * @defaultValue 800
   */
  retryDelayMs?: number;
  /**
   * Upper bound of any single delay, including one asked for by a `Retry-After` header.
   * @defaultValue 30000
   */
  maxRetryDelayMs?: number;
  /**
   * Randomize each delay between half and all of its value, so many clients that failed together
   * do not retry together.
   * @defaultValue true
   */
  jitter?: boolean;
  /**
   * Host of a read-access geo-redundant (RA-GRS) secondary, e.g. `myaccount-secondary.blob.core.windows.net`.
   * Retries of reads (GET, HEAD) alternate between the primary and this host.
   */
  secondaryHost?: string;
  /** Called before each retry; useful for metrics. Must not throw. */
  onRetry?: (event: RetryEvent) => void;
}

/** The values BlobKit uses for options left out of {@link RetryOptions}. */
export const DEFAULT_RETRY_OPTIONS = Object.freeze({
  maxTries: 4,
  tryTimeoutMs: 30_000,
  minUploadBytesPerSecond: 65_536,
  retryDelayMs: 800,
  maxRetryDelayMs: 30_000,
  jitter: true,
});

/** `RestError.code` of a try that the per-try timeout aborted. */
export const TRY_TIMEOUT_CODE = "BLOBKIT_TRY_TIMEOUT";

const RETRIABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "REQUEST_SEND_ERROR",
  "ERR_STREAM_PREMATURE_CLOSE",
  TRY_TIMEOUT_CODE,
]);

const triesByError = new WeakMap<object, number>();
const triesByRequest = new WeakMap<object, number>();

/** How many tries the retry policy made for the request behind this error, if it ran. */
export function triesOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const request = (error as { request?: unknown }).request;
  return (
    triesByError.get(error) ??
    (typeof request === "object" && request !== null ? triesByRequest.get(request) : undefined)
  );
}

/**
 * Checks {@link RetryOptions} and fills in defaults; throws `InvalidArgument` before any request.
 *
 * @example
 * ```ts
 * const settings = resolveRetryOptions({ maxTries: 6 });
 * settings.tryTimeoutMs; // 30000, the default
 * resolveRetryOptions({ maxTries: 0 }); // throws InvalidArgument naming retry.maxTries
 * ```
 */
export function resolveRetryOptions(
  options: RetryOptions = {},
): Required<Omit<RetryOptions, "secondaryHost" | "onRetry">> &
  Pick<RetryOptions, "secondaryHost" | "onRetry"> {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument(
      "retry",
      `must be an object such as { maxTries: 5 }, got ${describeValue(options)}`,
    );
  }
  const resolved = { ...DEFAULT_RETRY_OPTIONS, ...stripUndefined(options) };
  const checkInt = (field: keyof RetryOptions, min: number, max: number) => {
    const value = resolved[field];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw invalidArgument(
        `retry.${field}`,
        `must be an integer from ${min} to ${max}, got ${describeValue(value)}`,
      );
    }
  };
  checkInt("maxTries", 1, 20);
  checkInt("tryTimeoutMs", 0, 3_600_000);
  checkInt("minUploadBytesPerSecond", 1, 1_000_000_000_000);
  checkInt("retryDelayMs", 0, 600_000);
  checkInt("maxRetryDelayMs", 0, 3_600_000);
  if (
    resolved.secondaryHost !== undefined &&
    (typeof resolved.secondaryHost !== "string" ||
      !/^[A-Za-z0-9.-]+(:\d+)?$/.test(resolved.secondaryHost))
  ) {
    throw invalidArgument(
      "retry.secondaryHost",
      "must be a host name such as myaccount-secondary.blob.core.windows.net",
    );
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Delay before the try after `attempt` (1-based), honouring `Retry-After` when the service sent one.
 *
 * @example
 * ```ts
 * computeRetryDelay(3, { retryDelayMs: 800, maxRetryDelayMs: 30_000, jitter: false }); // 3200
 * computeRetryDelay(1, { retryDelayMs: 800, maxRetryDelayMs: 30_000, jitter: true }, 5_000); // 5000 (Retry-After)
 * ```
 */
export function computeRetryDelay(
  attempt: number,
  options: { retryDelayMs: number; maxRetryDelayMs: number; jitter: boolean },
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, options.maxRetryDelayMs);
  }
  const exponential = Math.min(options.retryDelayMs * 2 ** (attempt - 1), options.maxRetryDelayMs);
  return options.jitter ? Math.round(exponential / 2 + random() * (exponential / 2)) : exponential;
}

function retryAfterMs(response: PipelineResponse | undefined): number | undefined {
  const header = response?.headers.get("retry-after");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function classify(error: unknown, response: PipelineResponse | undefined): RetryReason | undefined {
  if (response) {
    if (!RETRIABLE_STATUS.has(response.status)) return undefined;
    return response.status === 429 || response.status === 503 ? "throttled" : "server-error";
  }
  if (isRestError(error)) {
    if (error.code === TRY_TIMEOUT_CODE) return "timeout";
    if (error.statusCode !== undefined) {
      return RETRIABLE_STATUS.has(error.statusCode) ? "server-error" : undefined;
    }
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return "network";
  if (error instanceof Error && error.name === "AbortError") return undefined;
  // Socket errors from Node's http client sometimes arrive wrapped without a code.
  if (
    error instanceof Error &&
    /socket hang up|ECONNRESET|other side closed/i.test(error.message)
  ) {
    return "network";
  }
  return undefined;
}

function isReplayable(request: PipelineRequest): boolean {
  const body = request.body as unknown;
  if (body === undefined || body === null || typeof body === "string") return true;
  if (typeof body === "function") return true; // stream factory: called again on each try
  if (body instanceof Uint8Array || body instanceof ArrayBuffer || body instanceof Blob)
    return true;
  return false; // a one-shot stream cannot be sent twice
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const PROGRESS_CHUNK = 256 * 1024;

function* chunksOf(bytes: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += PROGRESS_CHUNK) {
    yield bytes.subarray(offset, Math.min(offset + PROGRESS_CHUNK, bytes.byteLength));
  }
}

/** Name of BlobKit's retry policy in the SDK pipeline. */
export const RETRY_POLICY_NAME = "blobkitRetryPolicy";
/** Name of BlobKit's per-try timeout policy in the SDK pipeline. */
export const TRY_TIMEOUT_POLICY_NAME = "blobkitTryTimeoutPolicy";

/** Builds the retry policy. It sits in the pipeline's Retry phase, so each try is signed anew. */
export function createRetryPolicy(options: RetryOptions = {}): PipelinePolicy {
  const settings = resolveRetryOptions(options);
  return {
    name: RETRY_POLICY_NAME,
    async sendRequest(request, next) {
      const primaryUrl = request.url;
      const isRead = request.method === "GET" || request.method === "HEAD";
      let useSecondary = false;
      for (let attempt = 1; ; attempt++) {
        if (settings.secondaryHost && isRead) {
          const url = new URL(primaryUrl);
          if (useSecondary) url.host = settings.secondaryHost;
          request.url = url.toString();
        }
        let response: PipelineResponse | undefined;
        let error: unknown;
        try {
          response = await next(request);
        } catch (caught) {
          error = caught;
        }
        const signal = request.abortSignal as AbortSignal | undefined;
        const reason = signal?.aborted ? undefined : classify(error, response);
        const canRetry =
          reason !== undefined && attempt < settings.maxTries && isReplayable(request);
        if (!canRetry) {
          triesByRequest.set(request, attempt);
          if (error !== undefined) {
            if (typeof error === "object" && error !== null) triesByError.set(error, attempt);
            throw error;
          }
          return response as PipelineResponse;
        }
        // A 404 from the secondary usually means replication lag: stay on the primary from now on.
        if (useSecondary && response?.status === 404) useSecondary = false;
        else if (settings.secondaryHost && isRead) useSecondary = !useSecondary;
        const wait = computeRetryDelay(attempt, settings, retryAfterMs(response));
        // Free the connection of a failed streamed response before trying again.
        response?.readableStreamBody?.resume();
        const path = new URL(request.url).pathname;
        try {
          settings.onRetry?.({
            attempt,
            reason,
            ...(response ? { statusCode: response.status } : {}),
            delayMs: wait,
            request: `${request.method} ${path}`,
          });
        } catch {
          // A metrics callback must never break a request.
        }
        await delay(wait, signal);
      }
    },
  };
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
  minUploadBytesPerSecond: number = DEFAULT_RETRY_OPTIONS.minUploadBytesPerSecond,
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
