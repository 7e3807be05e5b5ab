// Converts any failure (SDK RestError, abort, network, timeout) into a StorageError whose message
// says what to do, in one place for the whole kit. Secrets are stripped on the way.
import { isRestError, type RestError } from "@azure/core-rest-pipeline";
import {
  authenticationMessage,
  codeFor,
  credentialKindOf,
  permissionMessage,
  sasExpiry,
} from "./internal/explain.js";
import { proxyOf } from "./internal/proxy.js";
import { redactSecrets, sanitizedCause } from "./internal/redact.js";
import { isCorruptedBodyCode, triesOf } from "./internal/retryPipelinePolicy.js";
import { TRY_TIMEOUT_CODE } from "./internal/retrySettings.js";
import { explainSignIn } from "./internal/signIn.js";
import { describeOperation } from "./kit/describe.js";
import { fileSystemError, isFileSystemFailure } from "./kit/localErrors.js";
import { StorageError } from "./StorageError.js";
import type { ErrorContext } from "./types.js";

/** Failures to open a connection: behind a proxy, the connection is to the proxy. */
const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
]);

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

/**
 * What to add to a 400 from Azurite, which refuses some requests Azure accepts (its 400 then
 * often has no error code and no body). The `Server` header, or the development account in the
 * URL, tells it is the emulator; an empty tag value in the request is the known case.
 */
function emulatorNote(error: RestError, context: ErrorContext | undefined): string {
  const server = error.response?.headers.get("server") ?? "";
  const url = context?.client?.url ?? error.request?.url ?? "";
  if (!/^Azurite/i.test(server) && !/\/devstoreaccount1(\/|\?|$)/.test(url)) return "";
  const body = typeof error.request?.body === "string" ? error.request.body : "";
  const tags = error.request?.headers.get("x-ms-tags") ?? "";
  if (/<Value\s*\/>|<Value><\/Value>/.test(body) || /(^|&)[^=&]+=(&|$)/.test(tags)) {
    return " The emulator (Azurite) refuses a tag with an empty value, which Azure accepts (values are 0 to 256 characters): give the tag a value when testing against Azurite.";
  }
  return " Azurite refuses some requests Azure accepts (e.g. tags with an empty value): if this request works on Azure, it is the emulator's limit.";
}

/** Which bound of the per-try timeout the last try hit, as the timeout policy worded it. */
function timeoutDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  return /^no (response|progress)/.test(message) ? `: ${message}` : "";
}

/**
 * Converts any error thrown while talking to Azure Storage into a {@link StorageError} with an
 * actionable message; returns StorageErrors unchanged. The result never contains an account key,
 * a SAS signature or a token, and neither does its `cause`.
 *
 * @see [Create and manage blob leases: Write with the lease id](../../../apps/docs/guides/blob-leases.md#write-with-the-lease-id)
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
  const signIn = explainSignIn(error);
  if (signIn) {
    return new StorageError("AuthenticationFailed", `${what} failed: ${signIn}`, {
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
        message =
          status === 400 && isCorruptedBodyCode(serviceCode)
            ? `${what} failed: the service refused the body on ${tries ?? 1} ${(tries ?? 1) === 1 ? "try" : "tries"} (400 ${serviceCode}): what arrived does not match the checksum sent with it, and nothing was stored. The source changed while it was being sent, or something on the way alters the bytes (a proxy, faulty hardware).`
            : `${what} failed (${status}${serviceCode ? ` ${serviceCode}` : ""}): ${serviceMessage || "no details"}.${status === 400 ? emulatorNote(error, context) : ""}`;
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
      `${what} got no response from ${hostOf(context, error)} within the per-try timeout on ${tries ?? 1} ${tries === 1 ? "try" : "tries"}${timeoutDetail(error)}. The service may be unreachable or overloaded; raise retry.tryTimeoutMs for slow links.`,
      { ...base, ...(cause ? { cause } : {}) },
    );
  }
  // A Node file-system error (ENOSPC, EACCES, ...) also has an E-code, but it is about a local
  // file, not the endpoint: callers that retry network errors must not retry a full disk.
  const fsFailure = isFileSystemFailure(error)
    ? error
    : isFileSystemFailure((error as { cause?: unknown } | undefined)?.cause)
      ? (error as { cause: unknown }).cause
      : undefined;
  if (isFileSystemFailure(fsFailure)) {
    return fileSystemError(fsFailure, {
      operation: context?.operation ?? "the request",
      ...(context?.resource ? { resource: context.resource } : {}),
      path: fsFailure.path ?? "",
    });
  }
  const networkCode =
    typeof errCode === "string" && errCode !== "REQUEST_SEND_ERROR"
      ? errCode
      : ((error as { cause?: { code?: unknown } } | undefined)?.cause?.code as string | undefined);
  if (isRestError(error) || (typeof networkCode === "string" && /^E[A-Z]+/.test(networkCode))) {
    const detail = redactSecrets(plainServiceMessage((error as Error).message));
    const proxy = proxyOf(error, context?.client);
    if (proxy) {
      // Behind a proxy the client only ever connects to the proxy: name it, not the endpoint.
      const configured = proxy.source ? ` (from ${proxy.source})` : "";
      const connecting =
        typeof networkCode === "string" && CONNECT_CODES.has(networkCode)
          ? `could not connect to the proxy ${proxy.host}${configured} on the way to ${hostOf(context, error)}`
          : `failed through the proxy ${proxy.host}${configured} on the way to ${hostOf(context, error)}`;
      return new StorageError(
        "NetworkError",
        `${what} ${connecting}${networkCode ? ` (${networkCode})` : ""}: ${detail}. Check that the proxy is running and that ${proxy.source ?? "the proxy setting"} names it correctly; hosts listed in NO_PROXY bypass it.`,
        { ...base, ...(cause ? { cause } : {}) },
      );
    }
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
