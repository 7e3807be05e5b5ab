// Resolves what a service or user delegation SAS is for: container, blob or directory prefix.
import type { BlobServiceClient } from "@azure/storage-blob";
import { invalidArgument } from "@blobkit/auth/kit";
import { validateContainerName } from "@blobkit/containers";
import type { SasTarget } from "../types.js";
import type { PermissionScope } from "./permissions.js";

/** A checked target, with the URL the SAS is appended to. */
export interface ResolvedTarget {
  containerName: string;
  /** The blob name, or the directory path for a directory SAS. */
  blobName: string | undefined;
  scope: Exclude<PermissionScope, "account">;
  /** The resource URL, without a query. */
  url: string;
}

const DOT_SEGMENT_PROBLEM =
  'must not contain "." or ".." path segments: URLs resolve them away, so the SAS would address another resource than the one signed';

/** Whether a path has a `.` or `..` segment, which URL normalization removes. */
function hasDotSegment(path: string): boolean {
  return path.split("/").some((segment) => segment === "." || segment === "..");
}

/** Checks a {@link SasTarget} and builds its URL from the service client (the SDK escapes names). */
export function resolveTarget(target: SasTarget, service: BlobServiceClient): ResolvedTarget {
  if (typeof target !== "object" || target === null) {
    throw invalidArgument(
      "target",
      'must be an object such as { container: "reports" } or { container: "reports", blob: "a.pdf" }',
    );
  }
  const containerName = validateContainerName(target.container, "target.container");
  const container = service.getContainerClient(containerName);
  const under = (scope: "blob" | "directory", blobName: string): ResolvedTarget => ({
    containerName,
    blobName,
    scope,
    url: container.getBlobClient(blobName).url,
  });
  if (target.blob !== undefined && target.directory !== undefined) {
    throw invalidArgument("target", "give either blob or directory, not both");
  }
  if (target.blob !== undefined) {
    const blob = target.blob;
    if (typeof blob !== "string" || blob.length === 0 || blob.length > 1024) {
      throw invalidArgument("target.blob", "must be a blob name of 1-1,024 characters");
    }
    if (!blob.isWellFormed()) {
      // The SDK's URL escaping would throw a URIError on it.
      throw invalidArgument("target.blob", "contains an unpaired surrogate (invalid Unicode)");
    }
    if (hasDotSegment(blob)) {
      throw invalidArgument("target.blob", DOT_SEGMENT_PROBLEM);
    }
    return under("blob", blob);
  }
  if (target.directory !== undefined) {
    const raw = target.directory;
    const directory = typeof raw === "string" ? raw.replace(/^\/+|\/+$/g, "") : "";
    if (
      directory === "" ||
      directory.length > 1024 ||
      directory.includes("//") ||
      !directory.isWellFormed() ||
      hasDotSegment(directory)
    ) {
      throw invalidArgument(
        "target.directory",
        'must be a directory path such as "2024/q1" (no empty segments); for the whole container, leave it out',
      );
    }
    return under("directory", directory);
  }
  return { containerName, blobName: undefined, scope: "container", url: container.url };
}
