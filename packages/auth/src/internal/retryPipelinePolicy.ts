// The retry policy BlobKit installs in the SDK's pipeline (its Retry phase, so each try is signed
// anew): which failures are retried, how long to wait, the secondary host for reads, and how many
// tries an error took.
import {
  isRestError,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import { sleep } from "../kit/abort.js";
import { backoff } from "../kit/backoff.js";
import type { ResolvedRetryOptions, RetryReason } from "../types.js";
import { TRY_TIMEOUT_CODE } from "./retrySettings.js";

const RETRIABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const CORRUPTED_BODY_CODES = new Set(["Md5Mismatch", "Crc64Mismatch"]);

/**
 * Whether a 400's service code says the body arrived changed: the service checked the request's
 * Content-MD5 or x-ms-content-crc64, refused it and stored nothing, so sending it again is safe.
 */
export function isCorruptedBodyCode(code: string | undefined): boolean {
  return code !== undefined && CORRUPTED_BODY_CODES.has(code);
}

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

const singleTrySignals = new WeakSet<AbortSignal>();

/**
 * Marks a signal so that every request sent with it gets one try, whatever the client's retry
 * options: the SDK hands an operation's `abortSignal` to each of its requests as is, so this is a
 * per-call setting on a pipeline that every derived client shares. Returns the signal.
 */
export function withSingleTry(signal: AbortSignal): AbortSignal {
  singleTrySignals.add(signal);
  return signal;
}

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
    if (response.status === 400) {
      const code = response.headers.get("x-ms-error-code");
      return isCorruptedBodyCode(code) ? "corrupted" : undefined;
    }
    if (!RETRIABLE_STATUS.has(response.status)) return undefined;
    return response.status === 429 || response.status === 503 ? "throttled" : "server-error";
  }
  if (isRestError(error)) {
    if (error.code === TRY_TIMEOUT_CODE) return "timeout";
    if (error.statusCode === 400) return isCorruptedBodyCode(error.code) ? "corrupted" : undefined;
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

/** Name of BlobKit's retry policy in the SDK pipeline. */
export const RETRY_POLICY_NAME = "blobkitRetryPolicy";

/** Builds the retry policy. It sits in the pipeline's Retry phase, so each try is signed anew. */
export function createRetryPolicy(settings: ResolvedRetryOptions): PipelinePolicy {
  return {
    name: RETRY_POLICY_NAME,
    async sendRequest(request, next) {
      const primaryUrl = request.url;
      const isRead = request.method === "GET" || request.method === "HEAD";
      const callerSignal = request.abortSignal as AbortSignal | undefined;
      const maxTries = callerSignal && singleTrySignals.has(callerSignal) ? 1 : settings.maxTries;
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
        const canRetry = reason !== undefined && attempt < maxTries && isReplayable(request);
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
        const wait = backoff(attempt, settings, retryAfterMs(response));
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
        await sleep(wait, signal);
      }
    },
  };
}
