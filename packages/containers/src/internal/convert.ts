// Conversions from the SDK's response shapes to this package's plain objects.
import type { ContainerGetPropertiesResponse } from "@azure/storage-blob";
import type { ContainerProperties, PublicAccessLevel } from "../types.js";

/** Turns the SDK's public access value into ours. */
export function publicAccessOf(value: string | undefined): PublicAccessLevel {
  return value === "blob" || value === "container" ? value : "none";
}

/** Converts the SDK's Get Container Properties response. */
export function toContainerProperties(
  name: string,
  response: ContainerGetPropertiesResponse,
): ContainerProperties {
  return {
    name,
    etag: response.etag ?? "",
    lastModified: response.lastModified ?? new Date(0),
    leaseStatus: response.leaseStatus ?? "unlocked",
    leaseState: response.leaseState ?? "available",
    ...(response.leaseDuration ? { leaseDuration: response.leaseDuration } : {}),
    publicAccess: publicAccessOf(response.blobPublicAccess),
    hasImmutabilityPolicy: response.hasImmutabilityPolicy ?? false,
    hasLegalHold: response.hasLegalHold ?? false,
    immutableStorageWithVersioning: response.isImmutableStorageWithVersioningEnabled ?? false,
    ...(response.defaultEncryptionScope
      ? { defaultEncryptionScope: response.defaultEncryptionScope }
      : {}),
    ...(response.denyEncryptionScopeOverride !== undefined
      ? { preventEncryptionScopeOverride: response.denyEncryptionScopeOverride }
      : {}),
    metadata: { ...(response.metadata ?? {}) },
  };
}

/** Strips a query string (a SAS) from a URL. */
export function withoutQuery(url: string): string {
  const at = url.indexOf("?");
  return at === -1 ? url : url.slice(0, at);
}
