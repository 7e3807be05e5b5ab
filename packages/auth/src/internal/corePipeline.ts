// Installs BlobKit's policies into the core HTTP pipeline behind a storage-blob client.
//
// @azure/storage-blob builds its core pipeline once per `Pipeline` object and shares it with
// every client derived from it (getContainerClient, getBlobClient, ...), but offers no public way
// to add per-try policies or to replace its retry policy. The core pipeline is reachable as the
// public `pipeline` of core-client's ServiceClient, which storage-blob keeps in the protected
// `storageClientContext`. This file is the only place that touches it; a test fails loudly if a
// future SDK moves it.
import type { Pipeline } from "@azure/core-rest-pipeline";
import { createIpv6HostPolicy } from "#platform";
import type { RetryOptions } from "../types.js";
import { createRetryPolicy, RETRY_POLICY_NAME } from "./retryPipelinePolicy.js";
import { resolveRetryOptions } from "./retrySettings.js";
import { createTryTimeoutPolicy } from "./tryTimeoutPolicy.js";

interface WithContext {
  storageClientContext?: { pipeline?: Pipeline; version?: unknown };
}

/** The service version the SDK's requests carry when a client does not say. */
const FALLBACK_SERVICE_VERSION = "2025-01-05";

/**
 * The service version (`x-ms-version`) the SDK sends with a storage-blob client's requests, for a
 * request BlobKit sends through the client's pipeline itself.
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { serviceVersionOf } from "@blobkit/auth/kit";
 *
 * declare const blob: BlobClient;
 * const version = serviceVersionOf(blob); // e.g. "2026-02-06"
 * ```
 */
export function serviceVersionOf(client: object): string {
  const version = (client as WithContext).storageClientContext?.version;
  return typeof version === "string" ? version : FALLBACK_SERVICE_VERSION;
}

/**
 * Returns the core pipeline of a storage-blob client, with BlobKit's policies when `connect()`
 * made it: send a request through it (`pipeline.sendRequest(httpClient, request)`) and it is
 * signed, retried and timed out like the SDK's own.
 *
 * @example
 * ```ts
 * import { corePipelineOf } from "@blobkit/auth/kit";
 *
 * const pipeline = corePipelineOf(blob);
 * pipeline.getOrderedPolicies().map((policy) => policy.name);
 * ```
 */
export function corePipelineOf(client: object): Pipeline {
  const pipeline = (client as unknown as WithContext).storageClientContext?.pipeline;
  if (!pipeline || typeof pipeline.addPolicy !== "function") {
    throw new Error(
      "BlobKit could not find the HTTP pipeline of this @azure/storage-blob client; this SDK version is not supported.",
    );
  }
  return pipeline;
}

/**
 * Replaces the SDK's retry policy with BlobKit's and adds the per-try timeout (and the agent an
 * IPv6 literal host needs). Idempotent.
 */
export function installPolicies(client: object, retry: RetryOptions = {}): void {
  const pipeline = corePipelineOf(client);
  if (pipeline.getOrderedPolicies().some((policy) => policy.name === RETRY_POLICY_NAME)) return;
  const settings = resolveRetryOptions(retry);
  pipeline.removePolicy({ phase: "Retry" });
  pipeline.addPolicy(createRetryPolicy(settings), { phase: "Retry" });
  pipeline.addPolicy(
    createTryTimeoutPolicy(settings.tryTimeoutMs, settings.minUploadBytesPerSecond),
    { afterPhase: "Sign" },
  );
  pipeline.addPolicy(createIpv6HostPolicy(), { afterPhase: "Sign" });
}
