// Converts any failure (SDK RestError, abort, network, timeout) into a StorageError whose message
// says what to do, in one place for the whole kit. Secrets are stripped on the way.
import { isRestError } from "@azure/core-rest-pipeline";
import {
  authenticationMessage,
  codeFor,
  credentialKindOf,
  permissionMessage,
  sasExpiry,
} from "./internal/explain.js";
import { redactSecrets } from "./internal/redact.js";
import { triesOf } from "./internal/retryPipelinePolicy.js";
import { TRY_TIMEOUT_CODE } from "./internal/retrySettings.js";
import { describeOperation } from "./kit/describe.js";
import { StorageError } from "./StorageError.js";
import type { ErrorContext } from "./types.js";

function hostOf(context: ErrorContext | undefined, error: unknown): string {
  const url =
    context?.client?.url ?? (error as { request?: { url?: string } } | undefined)?.request?.url;
  if (!url) return "the storage endpoint";
  try {
    return new URL(url).host;
  } catch {
    return "the storage endpoint";
  }
}

function serviceCodeOf(error: {
  code?: string;
  details?: unknown;
  response?: { headers?: { get(name: string): string | undefined } };
}): string | undefined {
  const header = error.response?.headers?.get("x-ms-error-code");
  if (header) return header;
  const details = error.details as { errorCode?: string; Code?: string } | undefined;
  if (details?.errorCode) return details.errorCode;
  if (details?.Code) return details.Code;
  return error.code && !/^(REQUEST_SEND_ERROR|PARSE_ERROR)$/.test(error.code)
    ? error.code
    : undefined;
}

function plainServiceMessage(message: string): string {
  // The service's message ends with "RequestId:... Time:..."; keep the human part.
  return message.split(/\r?\n|RequestId:/)[0]?.trim() ?? "";
}

function sanitizedCause(error: unknown): Error | undefined {
  if (!(error instanceof Error)) return undefined;
  const copy = new Error(redactSecrets(error.message));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === "number") Object.assign(copy, { statusCode: status });
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

/**
 * Converts any error thrown while talking to Azure Storage into a {@link StorageError} with an
 * actionable message; returns StorageErrors unchanged. The result never contains an account key,
 * a SAS signature or a token, and neither does its `cause`.
 *
 * @example
 * ```ts
 * import { toStorageError } from "@blobkit/auth";
 *
 * try {
 *   await service.getContainerClient("reports").create();
 * } catch (error) {
 *   throw toStorageError(error, { operation: "create container", client: service, access: "create" });
 * }
 * ```
 */
export function toStorageError(error: unknown, context?: ErrorContext): StorageError {
  if (error instanceof StorageError) return error;
  const what = describeOperation(context);
  const kind = context?.client ? credentialKindOf(context.client) : "anonymous";
  const operation = context?.operation;
  const tries = triesOf(error);
  const base = {
    ...(operation ? { operation } : {}),
    ...(tries !== undefined ? { tries } : {}),
  };
  const cause = sanitizedCause(error);
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === "AbortError" || (error instanceof DOMException && error.name === "AbortError")) {
    return new StorageError("Aborted", `${what} was cancelled by its AbortSignal.`, {
      ...base,
      ...(cause ? { cause } : {}),
    });
  }
  if (isRestError(error) && error.statusCode !== undefined) {
    const status = error.statusCode;
    const serviceCode = serviceCodeOf(error);
    let code = codeFor(status, serviceCode, error.message);
    // A HEAD request carries no error body: an expired SAS then looks like a plain 403.
    const expiry = kind === "sas" ? sasExpiry(context) : undefined;
    if (code === "PermissionDenied" && expiry && expiry.getTime() <= Date.now()) {
      code = "AuthenticationFailed";
    }
    const requestId =
      error.response?.headers.get("x-ms-request-id") ?? error.request?.requestId ?? undefined;
    const serviceMessage = redactSecrets(plainServiceMessage(error.message));
    let message: string;
    switch (code) {
      case "AuthenticationFailed":
        message = authenticationMessage(what, kind, serviceMessage, context);
        break;
      case "PermissionDenied":
        message = permissionMessage(what, kind, context);
        break;
      case "NotFound":
        message = `${what} failed: ${serviceCode === "ContainerNotFound" ? "the container does not exist" : serviceCode === "BlobNotFound" ? "the blob does not exist" : "the resource does not exist"}${serviceCode ? ` (${serviceCode})` : ""}. Check the name, or create it first.`;
        break;
      case "AlreadyExists":
        message = `${what} failed: it already exists (${serviceCode}). Use the IfNotExists variant to treat this as success.`;
        break;
      case "Throttled":
        message = `${what} was throttled by the service (${status}${serviceCode ? ` ${serviceCode}` : ""}) on every try. Lower the concurrency or request rate, or raise retry.maxTries.`;
        break;
      case "ServerError":
        message = `${what} failed on the server (${status}${serviceCode ? ` ${serviceCode}` : ""}) on every try: ${serviceMessage || "no details"}.`;
        break;
      case "NotSupported":
        message = `${what} is not supported by this endpoint (${status}${serviceCode ? ` ${serviceCode}` : ""}). Emulators such as Azurite do not implement every feature.`;
        break;
      case "PreconditionFailed":
        message = `${what} failed: a condition did not hold (${serviceCode ?? status}); the resource changed since it was read. Read it again and retry.`;
        break;
      case "LeaseConflict":
        message = `${what} failed: ${serviceMessage || serviceCode} (${serviceCode}).`;
        break;
      default:
        message = `${what} failed (${status}${serviceCode ? ` ${serviceCode}` : ""}): ${serviceMessage || "no details"}.`;
    }
    return new StorageError(code, message, {
      ...base,
      statusCode: status,
      ...(serviceCode ? { serviceCode } : {}),
      ...(requestId ? { requestId } : {}),
      ...(cause ? { cause } : {}),
    });
  }
  const errCode = (error as { code?: unknown } | undefined)?.code;
  if (errCode === TRY_TIMEOUT_CODE) {
    return new StorageError(
      "Timeout",
      `${what} got no response from ${hostOf(context, error)} within the per-try timeout on ${tries ?? 1} ${tries === 1 ? "try" : "tries"}. The service may be unreachable or overloaded; raise retry.tryTimeoutMs for slow links.`,
      { ...base, ...(cause ? { cause } : {}) },
    );
  }
  const networkCode =
    typeof errCode === "string" && errCode !== "REQUEST_SEND_ERROR"
      ? errCode
      : ((error as { cause?: { code?: unknown } } | undefined)?.cause?.code as string | undefined);
  if (isRestError(error) || (typeof networkCode === "string" && /^E[A-Z]+/.test(networkCode))) {
    const detail = redactSecrets(plainServiceMessage((error as Error).message));
    return new StorageError(
      "NetworkError",
      `${what} could not reach ${hostOf(context, error)}${networkCode ? ` (${networkCode})` : ""}: ${detail}. Check the endpoint URL, DNS, proxy and firewall; for an emulator, check that it is running.`,
      { ...base, ...(cause ? { cause } : {}) },
    );
  }
  const detail =
    error instanceof Error ? redactSecrets(error.message) : redactSecrets(String(error));
  return new StorageError("Unknown", `${what} failed: ${detail}`, {
    ...base,
    ...(cause ? { cause } : {}),
  });
}
