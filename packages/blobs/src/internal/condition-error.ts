// Which conditions a refused request carried, for the message of a 412. The service answers
// `ConditionNotMet` alike for an ETag condition and for a tag condition (`x-ms-if-tags`), and a
// HEAD request carries no error body at all; only the request tells a failed `whereTags` from a
// blob that changed since it was read.
import type { ErrorContext, StorageError } from "@blobkit/auth";
import { describeOperation, withMessage } from "@blobkit/auth/kit";

/** The conditions of a request that failed: its tag expression, and whether it had ETag ones. */
export interface SentConditions {
  /** The `x-ms-if-tags` expression, if the request had one. */
  tags: string | undefined;
  /** Whether it had an ETag or date condition (`If-Match`, `If-None-Match`, `If-*-Since`). */
  etag: boolean;
}

const ETAG_HEADERS = ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"];

/**
 * The conditions the request behind an SDK error carried, read from the error's request (the
 * SDK's `RestError` keeps it; `toStorageError` later drops it, with its secrets).
 */
export function conditionsSentWith(error: unknown): SentConditions | undefined {
  const headers = (error as { request?: { headers?: { get?: unknown } } } | null)?.request?.headers;
  if (!headers || typeof headers.get !== "function") return undefined;
  const get = (name: string): string | undefined =>
    (headers.get as (name: string) => string | undefined).call(headers, name) ?? undefined;
  return { tags: get("x-ms-if-tags"), etag: ETAG_HEADERS.some((name) => get(name) !== undefined) };
}

/**
 * A `PreconditionFailed` of a request that had a tag condition, with a message that names it:
 * toStorageError's "the resource changed since it was read" would send the caller looking for a
 * concurrent writer when the blob's tags simply did not match.
 */
export function explainConditionFailure(
  error: StorageError,
  context: ErrorContext,
  sent: SentConditions | undefined,
): StorageError {
  if (error.code !== "PreconditionFailed" || sent?.tags === undefined) return error;
  // A lease error is a 412 too, with its own code: that message is right as it is.
  if (error.serviceCode !== undefined && error.serviceCode !== "ConditionNotMet") return error;
  const what = describeOperation(context);
  const status = `${error.statusCode ?? 412}${error.serviceCode ? ` ${error.serviceCode}` : ""}`;
  return withMessage(
    error,
    sent.etag
      ? `${what} failed: a condition did not hold (${status}): the blob changed since it was read (its ETag no longer matches ifMatch), or the blob's index tags did not match the whereTags condition (${sent.tags}). Read its ETag and tags again (getBlobProperties, getBlobTags) and decide.`
      : `${what} failed: the blob's index tags did not match the whereTags condition (${sent.tags}) (${status}). Read them with getBlobTags() to see why, or change the condition.`,
  );
}
