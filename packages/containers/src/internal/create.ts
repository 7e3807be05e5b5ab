// The create loop shared by createContainer and createContainerIfNotExists: validation before any
// request, then Create Container, waiting with backoff while Azure still deletes a container of
// the same name (409 ContainerBeingDeleted, for at least 30 s after a delete).
import type { BlobServiceClient, ContainerClient } from "@azure/storage-blob";
import { isStorageError, StorageError } from "@blobkit/auth";
import {
  abortedError,
  backoff,
  checkInteger,
  containerContext,
  describeOperation,
  describeValue,
  invalidArgument,
  runOperation,
  sdkOptions,
  sleep,
  throwIfAborted,
} from "@blobkit/auth/kit";
import { validateContainerName } from "../rules/validateContainerName.js";
import { validateMetadata } from "../rules/validateMetadata.js";
import type { CreateContainerOptions, PublicAccessLevel } from "../types.js";
import { explainContainerError } from "./errors.js";
import { checkOptions, checkService } from "./validateOptions.js";

const PUBLIC_ACCESS = new Set<PublicAccessLevel>(["none", "blob", "container"]);

/** Defaults of `retryWhileBeingDeleted`. */
export const BEING_DELETED_DEFAULTS = Object.freeze({
  maxWaitMs: 60_000,
  initialDelayMs: 1_000,
  maxDelayMs: 10_000,
});

export interface CreateOutcome {
  created: boolean;
  client: ContainerClient;
  etag?: string;
  lastModified?: Date;
}

export async function createContainerInternal(
  service: BlobServiceClient,
  name: string,
  options: CreateContainerOptions | undefined,
  operation: string,
  ifNotExists: boolean,
): Promise<CreateOutcome> {
  const svc = checkService(service, operation);
  validateContainerName(name, "container name");
  const opts = checkOptions(options);
  const metadata =
    opts.metadata === undefined ? undefined : validateMetadata(opts.metadata, "metadata");
  const publicAccess = opts.publicAccess ?? "none";
  if (!PUBLIC_ACCESS.has(publicAccess)) {
    throw invalidArgument(
      "publicAccess",
      `must be "none", "blob" or "container", got ${describeValue(publicAccess)}`,
    );
  }
  const retry = opts.retryWhileBeingDeleted;
  if (retry !== undefined && retry !== false && (typeof retry !== "object" || retry === null)) {
    throw invalidArgument("retryWhileBeingDeleted", "must be an object or false");
  }
  const r = retry || {};
  const maxWaitMs = checkInteger(
    "retryWhileBeingDeleted.maxWaitMs",
    r.maxWaitMs,
    { min: 0, max: 3_600_000 },
    BEING_DELETED_DEFAULTS.maxWaitMs,
  );
  const initialDelayMs = checkInteger(
    "retryWhileBeingDeleted.initialDelayMs",
    r.initialDelayMs,
    { min: 1, max: 600_000 },
    BEING_DELETED_DEFAULTS.initialDelayMs,
  );
  const maxDelayMs = checkInteger(
    "retryWhileBeingDeleted.maxDelayMs",
    r.maxDelayMs,
    { min: 1, max: 600_000 },
    BEING_DELETED_DEFAULTS.maxDelayMs,
  );
  throwIfAborted(opts.signal, operation);

  const client = svc.getContainerClient(name);
  const context = containerContext(client, operation, "create");
  const started = Date.now();
  for (let tries = 1; ; tries++) {
    try {
      const response = await runOperation(context, () =>
        client.create({
          ...sdkOptions(opts),
          ...(metadata ? { metadata } : {}),
          ...(publicAccess !== "none" ? { access: publicAccess } : {}),
        }),
      );
      return {
        created: true,
        client,
        ...(response.etag ? { etag: response.etag } : {}),
        ...(response.lastModified ? { lastModified: response.lastModified } : {}),
      };
    } catch (error) {
      if (!isStorageError(error)) throw error;
      if (ifNotExists && error.code === "AlreadyExists") return { created: false, client };
      if (error.serviceCode !== "ContainerBeingDeleted" || retry === false) {
        throw explainContainerError(error);
      }
      const waited = Date.now() - started;
      const remaining = maxWaitMs - waited;
      if (remaining <= 0) {
        throw new StorageError(
          "Conflict",
          `${describeOperation(context)} failed: a container of that name is still being deleted (ContainerBeingDeleted) after waiting ${Math.round(waited / 1000)} s over ${tries} ${tries === 1 ? "try" : "tries"}. Azure reserves a deleted container's name for at least 30 seconds; try again later, or raise retryWhileBeingDeleted.maxWaitMs.`,
          {
            operation,
            tries,
            ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
            serviceCode: "ContainerBeingDeleted",
            ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
            ...(error.cause !== undefined ? { cause: error.cause } : {}),
          },
        );
      }
      // Doubling from initialDelayMs up to maxDelayMs, with jitter between half and all of the
      // delay, so clients that failed together spread out.
      const delay = backoff(tries, {
        retryDelayMs: initialDelayMs,
        maxRetryDelayMs: maxDelayMs,
        jitter: true,
      });
      await sleep(Math.min(remaining, delay), opts.signal, () => abortedError(operation));
    }
  }
}
