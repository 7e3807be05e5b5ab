// Copy a blob with the right mechanism: a synchronous copy from URL where allowed, else an
// asynchronous copy followed to completion (with progress, and abort when the signal fires).

import {
  AnonymousCredential,
  BlobClient,
  type BlobGetPropertiesResponse,
  BlobSASPermissions,
} from "@azure/storage-blob";
import {
  type ErrorContext,
  type ProgressOptions,
  StorageError,
  toStorageError,
} from "@blobkit/auth";
import {
  credentialKindOf,
  describeValue,
  invalidArgument,
  runOperation,
  sdkOptions,
  throwIfAborted,
} from "@blobkit/auth/kit";
import { type Metadata, validateMetadata } from "@blobkit/containers";
import type { BlobConditions } from "./BlobConditions.js";
import { type BlobTier, parseCopyProgress } from "./getBlobProperties.js";
import { sdkConditions } from "./internal/conditions.js";
import {
  blobResource,
  describeOperation,
  explainBlobError,
  withMessage,
} from "./internal/errors.js";
import { checkPriority, checkTier } from "./internal/tiers.js";
import type { RehydratePriority } from "./setBlobTier.js";
import { type Tags, validateTags } from "./validateTags.js";

/** The part of a token credential a synchronous copy uses to authorize its source. */
interface TokenSource {
  getToken(
    scopes: string,
    options?: { abortSignal?: AbortSignal },
  ): Promise<{ token: string } | null>;
}

/** The largest source a synchronous copy (Copy Blob From URL) accepts: 256 MiB. */
export const MAX_SYNC_COPY_BYTES = 256 * 1024 * 1024;

/**
 * How the service may read the source: a SAS token (with or without `?`), or a function that
 * returns one for the source, e.g. one that creates a user delegation SAS.
 */
export type SourceAuthorization =
  | string
  | ((source: BlobClient | string) => string | Promise<string>);

/** Options of {@link copyBlob}. Conditions (`ifMatch`, `whereTags`, `leaseId`) apply to the destination. */
export interface CopyBlobOptions extends ProgressOptions, BlobConditions {
  /**
   * `"sync"`: Copy Blob From URL (one request; block blobs up to 256 MiB, not from Archive).
   * `"async"`: Copy Blob, followed until it completes. `"auto"` picks sync where allowed.
   * @defaultValue `"auto"`
   */
  mode?: "auto" | "sync" | "async";
  /**
   * How the service reads the source. Left out: an asynchronous copy within one account needs
   * nothing (the destination request authorizes it); otherwise BlobKit uses the source URL's own
   * SAS if it has one, else creates a short-lived read-only SAS when the source client uses an
   * account key, else, for a synchronous copy with Microsoft Entra ID, sends the source client's
   * token. Pass a SAS here for other cases, e.g. a user delegation SAS for a source in another
   * account used with Microsoft Entra ID.
   */
  sourceAuthorization?: SourceAuthorization;
  /**
   * Lifetime of the read-only SAS that BlobKit creates for an account-key source. It is sent
   * only to the storage service, inside the copy request.
   * @defaultValue 15 minutes for a synchronous copy, 24 hours for an asynchronous one
   */
  sourceSasExpiresInMs?: number;
  /** Metadata of the copy; left out, the source's metadata is copied. */
  metadata?: Metadata;
  /** Index tags of the copy; left out, the copy has none (source tags are not copied). */
  tags?: Tags;
  /** Access tier of the copy. */
  tier?: BlobTier;
  /** Rehydration priority when copying from an archived source (asynchronous copy only). */
  rehydratePriority?: RehydratePriority;
  /**
   * Replace an existing destination blob. `false` fails with `AlreadyExists` if it exists.
   * @defaultValue true
   */
  overwrite?: boolean;
  /**
   * How often to check an asynchronous copy's progress.
   * @defaultValue 5000
   */
  pollIntervalMs?: number;
  /**
   * Wait for an asynchronous copy to complete. `false` returns once it has started (status
   * `"pending"`); follow it with {@link getBlobProperties} (`copy.status`).
   * @defaultValue true
   */
  waitForCompletion?: boolean;
}

/** The result of {@link copyBlob}. */
export interface CopyBlobResult {
  /** Which mechanism copied the blob. */
  mechanism: "sync" | "async";
  /** `"pending"` only when `waitForCompletion` is false and the copy is still running. */
  status: "success" | "pending";
  /** The copy id (needed to abort a pending copy). */
  copyId: string | undefined;
  /** The destination's ETag. */
  etag: string | undefined;
  /** When the destination changed. */
  lastModified: Date | undefined;
  /** The destination's version id, on accounts with versioning. */
  versionId: string | undefined;
  /** Bytes copied, when known. */
  bytesCopied: number | undefined;
}

interface Plan {
  mode: "auto" | "sync" | "async";
  metadata: Metadata | undefined;
  tags: Tags | undefined;
  tier: BlobTier | undefined;
  priority: RehydratePriority | undefined;
  pollIntervalMs: number;
  sasLifetime: number | undefined;
  conditions: ReturnType<typeof sdkConditions>;
}

function checkOptions(options: CopyBlobOptions): Plan {
  const { mode = "auto", overwrite = true, pollIntervalMs = 5_000 } = options;
  if (mode !== "auto" && mode !== "sync" && mode !== "async") {
    throw invalidArgument("mode", `must be "auto", "sync" or "async", got ${describeValue(mode)}`);
  }
  if (typeof overwrite !== "boolean") throw invalidArgument("overwrite", "must be a boolean");
  if (!overwrite && options.ifMatch !== undefined) {
    throw invalidArgument("overwrite", "overwrite: false cannot be combined with ifMatch");
  }
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs < 0) {
    throw invalidArgument("pollIntervalMs", "must be a number of milliseconds >= 0");
  }
  const sasLifetime = options.sourceSasExpiresInMs;
  if (sasLifetime !== undefined && (!Number.isFinite(sasLifetime) || sasLifetime < 60_000)) {
    throw invalidArgument("sourceSasExpiresInMs", "must be at least 60000 (one minute)");
  }
  const auth = options.sourceAuthorization;
  if (auth !== undefined && typeof auth !== "string" && typeof auth !== "function") {
    throw invalidArgument("sourceAuthorization", "must be a SAS token or a function returning one");
  }
  const priority =
    options.rehydratePriority === undefined ? undefined : checkPriority(options.rehydratePriority);
  if (priority && mode === "sync") {
    throw invalidArgument(
      "rehydratePriority",
      'only an asynchronous copy can rehydrate an archived source; use mode "async" or "auto"',
    );
  }
  return {
    mode,
    metadata: options.metadata === undefined ? undefined : validateMetadata(options.metadata),
    tags: options.tags === undefined ? undefined : validateTags(options.tags),
    tier: options.tier === undefined ? undefined : checkTier(options.tier),
    priority,
    pollIntervalMs,
    sasLifetime,
    conditions: sdkConditions({ ...options, ...(overwrite ? {} : { ifNoneMatch: "*" }) }),
  };
}

/** A SAS token from the option, checked and without its leading "?". */
async function sasFrom(auth: SourceAuthorization, source: BlobClient | string): Promise<string> {
  const token = typeof auth === "function" ? await auth(source) : auth;
  if (typeof token !== "string" || !/(^|[?&])sig=/.test(token)) {
    throw invalidArgument(
      "sourceAuthorization",
      "must be a SAS token (a query string with a sig= signature)",
    );
  }
  return token.replace(/^\?/, "");
}

function withSas(url: string, sas: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}${sas}`;
}

/** The URL of a source, safe to show: no query string. */
function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "the source URL";
  }
}

function sourceUnreadable(error: StorageError, context: ErrorContext, sourceStatus?: string) {
  const status = sourceStatus ?? String(error.statusCode ?? "");
  return withMessage(
    error,
    `${describeOperation(context)} failed: the service could not read the source (${status} ${error.serviceCode ?? ""}`.trimEnd() +
      "). A copy reads the source through its URL alone, so the source must be public or its URL must carry a SAS with read permission, even within one account. BlobKit adds a short-lived read SAS by itself only when the source client uses an account key; otherwise pass sourceAuthorization (a SAS token, or a function returning one such as a user delegation SAS). Check also that the source exists and that the SAS has not expired.",
  );
}

/** Runs a copy request; explains source failures, archived sources and the like. */
async function runCopy<T>(context: ErrorContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const headers = (error as { response?: { headers?: { get?(n: string): string | undefined } } })
      .response?.headers;
    const sourceStatus = headers?.get?.("x-ms-copy-source-status-code");
    const converted = toStorageError(error, context);
    if (converted.serviceCode === "CannotVerifyCopySource" || sourceStatus) {
      const status = Number(sourceStatus ?? converted.statusCode);
      if (status === 401 || status === 403 || status === 404) {
        throw sourceUnreadable(converted, context, sourceStatus);
      }
      if (/archived/i.test(converted.message)) {
        throw withMessage(
          converted,
          `${describeOperation(context)} failed: the source is in the Archive tier (${converted.statusCode} ${converted.serviceCode}). Copy it asynchronously within its account with a tier and a rehydratePriority (copyBlob(..., { mode: "async", tier: "Hot", rehydratePriority: "Standard" }) or rehydrateBlob(..., { destination })), or rehydrate it in place first.`,
        );
      }
    }
    if (converted.serviceCode === "BlobAlreadyExists") {
      throw withMessage(
        converted,
        `${describeOperation(context)} failed: the destination already exists and overwrite is false (409 BlobAlreadyExists). Delete it first, or copy with overwrite: true.`,
      );
    }
    throw explainBlobError(converted, context);
  }
}

/** Identifies a storage account in a URL: its origin, plus the first path segment for path-style (emulator) URLs. */
function accountOf(url: string): string {
  const parsed = new URL(url);
  const pathStyle = /^[\d.]+$|^\[|^localhost$/.test(parsed.hostname);
  return pathStyle ? `${parsed.origin}/${parsed.pathname.split("/")[1] ?? ""}` : parsed.origin;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Copies a blob to another blob, in the same account or another one, choosing the mechanism:
 * a synchronous copy from URL (one request) when the source is a block blob of at most 256 MiB
 * that is not archived, otherwise an asynchronous copy that this function follows until it
 * completes, reporting progress; if `signal` fires meanwhile, the pending copy is aborted
 * (`abortCopyFromURL`, which leaves an empty destination). The service reads the source itself,
 * through its URL: see `sourceAuthorization` for how BlobKit authorizes that read. The copy may
 * get its own metadata, tags and tier.
 *
 * @example
 * ```ts
 * const source = container.getBlobClient("reports/q1.pdf");
 * const destination = archive.getBlobClient("2024/q1.pdf");
 * const result = await copyBlob(source, destination, { tier: "Cool", tags: { year: "2024" } });
 * console.log(result.mechanism); // "sync"
 * ```
 */
export async function copyBlob(
  source: BlobClient | string,
  destination: BlobClient,
  options: CopyBlobOptions = {},
): Promise<CopyBlobResult> {
  const plan = checkOptions(options);
  const isUrl = typeof source === "string";
  if (isUrl) {
    let parsed: URL;
    try {
      parsed = new URL(source);
    } catch {
      throw invalidArgument("source", "must be a BlobClient or an absolute http(s) URL");
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      throw invalidArgument("source", "must be an http(s) URL");
    }
  }
  throwIfAborted(options.signal, "copy blob");
  const sourceName = isUrl ? `'${shownUrl(source)}'` : blobResource(source);
  const context: ErrorContext = {
    operation: "copy blob",
    resource: `${sourceName} to ${blobResource(destination)}`,
    client: destination,
    access: "write",
  };
  const readContext: ErrorContext = {
    operation: "read the copy source",
    resource: sourceName,
    ...(isUrl ? {} : { client: source }),
    access: "read",
  };

  // 1. How the service will read the source.
  let sourceUrl = isUrl ? source : source.url;
  let bearer: TokenSource | undefined;
  const explicitSas = options.sourceAuthorization
    ? await sasFrom(options.sourceAuthorization, source)
    : undefined;
  if (explicitSas) {
    sourceUrl = withSas(sourceUrl, explicitSas);
  }

  // 2. What the source is (size, type, tier): decides the mechanism, and fails early if missing.
  let properties: BlobGetPropertiesResponse | undefined;
  if (!isUrl) {
    properties = await runCopy(readContext, () => source.getProperties(sdkOptions(options)));
  } else if (plan.mode === "auto") {
    const probe = new BlobClient(sourceUrl, new AnonymousCredential());
    properties = await runCopy(readContext, () => probe.getProperties(sdkOptions(options))).catch(
      (error: StorageError) => {
        if (error.statusCode === 401 || error.statusCode === 403 || error.statusCode === 404) {
          throw sourceUnreadable(error, context);
        }
        throw error;
      },
    );
  }
  const size = properties?.contentLength;
  const syncAllowed =
    properties !== undefined &&
    (properties.blobType ?? "BlockBlob") === "BlockBlob" &&
    (size ?? 0) <= MAX_SYNC_COPY_BYTES &&
    properties.accessTier !== "Archive" &&
    plan.priority === undefined;
  const mechanism: "sync" | "async" =
    plan.mode === "auto" ? (syncAllowed ? "sync" : "async") : plan.mode;
  if (mechanism === "sync" && size !== undefined && size > MAX_SYNC_COPY_BYTES) {
    throw invalidArgument(
      "mode",
      `a synchronous copy takes at most ${MAX_SYNC_COPY_BYTES} bytes (256 MiB); the source has ${size}. Use mode "async" or "auto"`,
    );
  }

  // An asynchronous copy within one account is authorized by the destination request itself;
  // every other copy reads the source through its URL, so it needs a SAS (or a token, for sync).
  const sameAccount = !isUrl && accountOf(source.url) === accountOf(destination.url);
  const needsUrlAuthorization = mechanism === "sync" || !sameAccount;
  if (!isUrl && !explicitSas && needsUrlAuthorization && !/[?&]sig=/.test(source.url)) {
    const kind = credentialKindOf(source);
    if (kind === "accountKey") {
      const lifetime = plan.sasLifetime ?? (mechanism === "sync" ? 15 * 60_000 : 24 * 3_600_000);
      sourceUrl = await runCopy(readContext, () =>
        source.generateSasUrl({
          permissions: BlobSASPermissions.parse("r"),
          expiresOn: new Date(Date.now() + lifetime),
        }),
      );
    } else if (kind === "entra" && mechanism === "sync") {
      bearer = source.credential as TokenSource;
    }
  }

  const common = {
    ...sdkOptions(options),
    conditions: plan.conditions,
    ...(plan.metadata ? { metadata: plan.metadata } : {}),
    ...(plan.tags ? { tags: plan.tags } : {}),
    ...(plan.tier ? { tier: plan.tier } : {}),
  };

  // 3a. Synchronous copy: one request.
  if (mechanism === "sync") {
    const token = bearer
      ? await runCopy(readContext, () =>
          (bearer as TokenSource).getToken(
            "https://storage.azure.com/.default",
            sdkOptions(options),
          ),
        )
      : undefined;
    const response = await runCopy(context, () =>
      destination.syncCopyFromURL(sourceUrl, {
        ...common,
        ...(token ? { sourceAuthorization: { scheme: "Bearer", value: token.token } } : {}),
      }),
    );
    if (size !== undefined) options.onProgress?.({ loaded: size, total: size });
    return {
      mechanism,
      status: "success",
      copyId: response.copyId,
      etag: response.etag,
      lastModified: response.lastModified,
      versionId: response.versionId,
      bytesCopied: size,
    };
  }

  // 3b. Asynchronous copy: start it with the SDK's poller, then follow it.
  const poller = await runCopy(context, () =>
    destination.beginCopyFromURL(sourceUrl, {
      ...common,
      ...(plan.priority ? { rehydratePriority: plan.priority } : {}),
      intervalInMs: plan.pollIntervalMs,
    }),
  );
  const started = poller.getOperationState() as ReturnType<typeof poller.getOperationState> & {
    copyId?: string;
  };
  const copyId = started.copyId;
  if (started.isCompleted && started.result) {
    const done = started.result;
    if (size !== undefined) options.onProgress?.({ loaded: size, total: size });
    return {
      mechanism,
      status: "success",
      copyId,
      etag: done.etag,
      lastModified: done.lastModified,
      versionId: done.versionId,
      bytesCopied: size,
    };
  }
  if (options.waitForCompletion === false) {
    return {
      mechanism,
      status: "pending",
      copyId,
      etag: undefined,
      lastModified: undefined,
      versionId: undefined,
      bytesCopied: undefined,
    };
  }
  return followCopy(destination, copyId, context, plan.pollIntervalMs, options);
}

/**
 * The longest copyBlob waits for the service to confirm Abort Copy Blob once the caller's signal
 * has fired: the abort must take effect at once.
 */
const ABORT_COPY_WITHIN_MS = 500;

/** Polls the destination until the copy ends; aborts it if the signal fires. */
async function followCopy(
  destination: BlobClient,
  copyId: string | undefined,
  context: ErrorContext,
  intervalMs: number,
  options: CopyBlobOptions,
): Promise<CopyBlobResult> {
  const signal = options.signal;
  const abort = async (): Promise<never> => {
    let detail = "the pending copy was aborted (abortCopyFromURL); the destination is left empty.";
    if (copyId) {
      // A slow service must not hold up the caller's abort, nor leave a request running after it.
      const deadline = AbortSignal.timeout(ABORT_COPY_WITHIN_MS);
      try {
        await runOperation({ ...context, operation: "abort copy" }, () =>
          destination.abortCopyFromURL(copyId, {
            abortSignal: deadline,
            ...(options.leaseId ? { conditions: { leaseId: options.leaseId } } : {}),
          }),
        );
      } catch (error) {
        detail = deadline.aborted
          ? `the service did not confirm aborting the pending copy (abortCopyFromURL) within ${ABORT_COPY_WITHIN_MS} ms; it may still complete.`
          : `aborting the pending copy failed too (${(error as Error).message}); it may still complete.`;
      }
    }
    throw new StorageError(
      "Aborted",
      `${describeOperation(context)} was cancelled by its AbortSignal; ${detail}`,
      { operation: "copy blob" },
    );
  };
  for (;;) {
    if (!(await delay(intervalMs, signal))) return abort();
    let state: BlobGetPropertiesResponse;
    try {
      state = await runCopy(context, () => destination.getProperties(sdkOptions(options)));
    } catch (error) {
      if (signal?.aborted) return abort();
      throw error;
    }
    if (copyId && state.copyId && state.copyId !== copyId) {
      throw new StorageError(
        "Conflict",
        `${describeOperation(context)} failed: another copy (id ${state.copyId}) replaced this one on the destination.`,
        { operation: "copy blob" },
      );
    }
    const { bytesCopied, totalBytes } = parseCopyProgress(state.copyProgress);
    if (bytesCopied !== undefined) {
      options.onProgress?.({
        loaded: bytesCopied,
        ...(totalBytes !== undefined ? { total: totalBytes } : {}),
      });
    }
    switch (state.copyStatus) {
      case "pending":
        continue;
      case "success":
        return {
          mechanism: "async",
          status: "success",
          copyId,
          etag: state.etag,
          lastModified: state.lastModified,
          versionId: state.versionId,
          bytesCopied,
        };
      default: {
        const reason = state.copyStatusDescription ?? "no reason given";
        const sourceFailure = /^(401|403|404)\b/.test(reason);
        throw new StorageError(
          sourceFailure
            ? "PermissionDenied"
            : state.copyStatus === "aborted"
              ? "Aborted"
              : "ServerError",
          sourceFailure
            ? `${describeOperation(context)} failed: the service could not read the source (${reason.split("\n")[0]}). The source must be public or its URL must carry a read SAS that stays valid until the copy completes; see sourceAuthorization and sourceSasExpiresInMs.`
            : `${describeOperation(context)} ${state.copyStatus === "aborted" ? "was aborted" : "failed"}: ${reason.split("\n")[0]}.`,
          { operation: "copy blob" },
        );
      }
    }
  }
}
