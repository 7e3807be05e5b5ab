// Checks of targets and option values shared by the operations, all before any request.
import type { BlobServiceClient, ContainerClient } from "@azure/storage-blob";
import { invalidArgument, throwIfAborted } from "@blobkit/auth/kit";
import { validateContainerName } from "../rules/validateContainerName.js";

/** Throws unless `options` is undefined or an object; returns it as an object. */
export function checkOptions<T extends object>(options: T | undefined, field = "options"): T {
  if (options === undefined) return {} as T;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw invalidArgument(field, "must be an object");
  }
  const signal = (options as { signal?: unknown }).signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw invalidArgument(`${field}.signal`, "must be an AbortSignal");
  }
  return options;
}

/** Whether text contains ASCII control characters (which cannot travel in an HTTP header). */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Throws unless the target is a `BlobServiceClient`-like object. */
export function checkService(service: unknown, operation: string): BlobServiceClient {
  if (
    typeof service !== "object" ||
    service === null ||
    typeof (service as BlobServiceClient).getContainerClient !== "function"
  ) {
    throw invalidArgument(
      "service",
      `${operation} needs a BlobServiceClient, e.g. from connect() of @blobkit/auth`,
    );
  }
  return service as BlobServiceClient;
}

/** Throws unless the target is a `ContainerClient` whose name is valid. */
export function checkContainer(container: unknown, operation: string): ContainerClient {
  if (
    typeof container !== "object" ||
    container === null ||
    typeof (container as ContainerClient).containerName !== "string" ||
    typeof (container as ContainerClient).getProperties !== "function"
  ) {
    throw invalidArgument(
      "container",
      `${operation} needs a ContainerClient, e.g. service.getContainerClient("name")`,
    );
  }
  validateContainerName((container as ContainerClient).containerName, "container name");
  return container as ContainerClient;
}

/** The checks every operation on one container starts with. */
export function startContainerOperation<T extends { signal?: AbortSignal }>(
  container: unknown,
  options: T | undefined,
  operation: string,
): { container: ContainerClient; options: T } {
  const checked = checkContainer(container, operation);
  const opts = checkOptions(options);
  throwIfAborted(opts.signal, operation);
  return { container: checked, options: opts };
}

/** Checks a prefix: one that can never match a container name is a mistake worth reporting. */
export function checkPrefix(prefix: unknown, field = "prefix"): string | undefined {
  if (prefix === undefined || prefix === "") return undefined;
  if (typeof prefix !== "string") throw invalidArgument(field, "must be a string");
  if (prefix.length > 63) {
    throw invalidArgument(field, `is ${prefix.length} characters; container names have at most 63`);
  }
  if (!/^\$?[a-z0-9-]*$/.test(prefix)) {
    const hint = /[A-Z]/.test(prefix) ? " (container names are lowercase)" : "";
    throw invalidArgument(
      field,
      `${JSON.stringify(prefix)} can never match: container names have only lowercase letters, digits and hyphens${hint}`,
    );
  }
  return prefix;
}
