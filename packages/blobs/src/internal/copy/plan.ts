// copyBlob's source and options, checked before any request and resolved once into a plan; and
// the shape of what every mechanism returns.
import type { BlobClient } from "@azure/storage-blob";
import type { Progress } from "@blobkit/auth";
import { describeValue, invalidArgument, sdkOptions } from "@blobkit/auth/kit";
import { type Metadata, validateMetadata } from "@blobkit/containers";
import type { CopyBlobOptions, CopyBlobResult } from "../../CopyBlobOptions.js";
import { type Tags, validateTags } from "../../rules/validateTags.js";
import type { BlobTier, RehydratePriority, SourceAuthorization } from "../../types.js";
import { sdkConditions } from "../conditions.js";
import { checkPriority, checkTier } from "../tiers.js";

/** copyBlob's options, every field checked here. */
export type CopyOptionsInput = CopyBlobOptions;

/** Everything a copy reads from its options, checked. */
export interface CopyPlan {
  mode: "auto" | "sync" | "async";
  metadata: Metadata | undefined;
  tags: Tags | undefined;
  tier: BlobTier | undefined;
  priority: RehydratePriority | undefined;
  pollIntervalMs: number;
  sasLifetime: number | undefined;
  sourceAuthorization: SourceAuthorization | undefined;
  waitForCompletion: boolean;
  /** Conditions on the destination (`ifNoneMatch: "*"` with `overwrite: false`). */
  conditions: ReturnType<typeof sdkConditions>;
  /** The destination's lease, for aborting a pending copy. */
  leaseId: string | undefined;
  /** The caller's signal, as SDK options. */
  sdk: { abortSignal?: AbortSignal };
  signal: AbortSignal | undefined;
  onProgress: ((progress: Progress) => void) | undefined;
}

/** Checks every option before any request. */
export function checkCopyOptions(options: CopyOptionsInput): CopyPlan {
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
    sourceAuthorization: auth,
    waitForCompletion: options.waitForCompletion !== false,
    conditions: sdkConditions({ ...options, ...(overwrite ? {} : { ifNoneMatch: "*" }) }),
    leaseId: options.leaseId,
    sdk: sdkOptions(options),
    signal: options.signal,
    onProgress: options.onProgress,
  };
}

/** Checks a source given as a URL: absolute, http or https. */
export function checkCopySource(source: BlobClient | string): void {
  if (typeof source !== "string") return;
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

/** What copyBlob returns, as the mechanisms build it. */
export type CopyOutcome = CopyBlobResult;

/** The options every copy request sends: signal, destination conditions, metadata, tags, tier. */
export function copyRequestOptions(plan: CopyPlan) {
  return {
    ...plan.sdk,
    conditions: plan.conditions,
    ...(plan.metadata ? { metadata: plan.metadata } : {}),
    ...(plan.tags ? { tags: plan.tags } : {}),
    ...(plan.tier ? { tier: plan.tier } : {}),
  };
}
