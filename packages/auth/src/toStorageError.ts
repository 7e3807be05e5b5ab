// Converts any failure (SDK RestError, abort, network, timeout) into a StorageError whose message
// says what to do, in one place for the whole kit. Secrets are stripped on the way.
import { isRestError } from "@azure/core-rest-pipeline";
import { parseSasToken } from "./internal/endpoints.js";
import { redactSecrets } from "./internal/redact.js";
import { TRY_TIMEOUT_CODE, triesOf } from "./retryPolicy.js";
import { StorageError, type StorageErrorCode } from "./StorageError.js";

/** How a client proves who it is. */
export type CredentialKind = "entra" | "sas" | "accountKey" | "anonymous";

/**
 * The kind of access an operation needs; BlobKit names the matching SAS permission and Azure role
 * when the service refuses it.
 */
export type AccessKind =
  | "read"
  | "write"
  | "create"
  | "delete"
  | "list"
  | "tag"
  | "filter"
  | "delegate"
  | "manage";

const SAS_PERMISSION: Record<AccessKind, string | undefined> = {
  read: "r (read)",
  write: "w (write)",
  create: "c (create)",
  delete: "d (delete)",
  list: "l (list)",
  tag: "t (tags)",
  filter: "f (filter by tags)",
  delegate: undefined,
  manage: undefined,
};

const ROLE: Record<AccessKind, string> = {
  read: "Storage Blob Data Reader",
  list: "Storage Blob Data Reader",
  write: "Storage Blob Data Contributor",
  create: "Storage Blob Data Contributor",
  delete: "Storage Blob Data Contributor",
  manage: "Storage Blob Data Contributor",
  tag: "Storage Blob Data Owner",
  filter: "Storage Blob Data Owner",
  delegate: "Storage Blob Delegator",
};

/** The minimal view of an SDK client that error conversion needs. */
export interface ClientLike {
  readonly url: string;
  readonly credential?: unknown;
}

/** What BlobKit was doing when an error happened, to make the message actionable. */
export interface ErrorContext {
  /** Verb phrase, e.g. `"create container"`. */
  operation: string;
  /** What it acted on, e.g. `"container 'reports'"`. */
  resource?: string;
  /** The client used, to name the credential kind (never its secret). */
  client?: ClientLike;
  /** The access the operation needs. */
  access?: AccessKind;
}

/**
 * Tells how a client authenticates: Microsoft Entra ID, SAS, account key, or anonymous.
 *
 * @example
 * ```ts
 * credentialKindOf(service); // "entra"
 * ```
 */
export function credentialKindOf(client: ClientLike): CredentialKind {
  const credential = client.credential as
    | { getToken?: unknown; accountName?: unknown; computeHMACSHA256?: unknown }
    | undefined;
  if (credential && typeof credential.getToken === "function") return "entra";
  if (credential && typeof credential.computeHMACSHA256 === "function") return "accountKey";
  if (/[?&]sig=/.test(client.url)) return "sas";
  return "anonymous";
}

const _CREDENTIAL_NAME: Record<CredentialKind, string> = {
  entra: "a Microsoft Entra ID token",
  sas: "a SAS token",
  accountKey: "the account key (Shared Key)",
  anonymous: "no credential (anonymous access)",
};

function describe(context: ErrorContext | undefined): string {
  if (!context) return "The request";
  return context.resource
    ? `${capitalize(context.operation)} (${context.resource})`
    : capitalize(context.operation);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

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

function sasExpiry(context: ErrorContext | undefined): Date | undefined {
  const url = context?.client?.url;
  if (!url?.includes("sig=")) return undefined;
  try {
    return parseSasToken(new URL(url).search).expiresOn;
  } catch {
    return undefined;
  }
}

function sasPermissions(context: ErrorContext | undefined): string | undefined {
  const url = context?.client?.url;
  if (!url?.includes("sig=")) return undefined;
  return new URL(url).searchParams.get("sp") ?? undefined;
}

function authenticationMessage(
  what: string,
  kind: CredentialKind,
  serviceMessage: string,
  context: ErrorContext | undefined,
): string {
  switch (kind) {
    case "accountKey":
      return `${what} failed: the service did not accept the Shared Key signature. The account key is wrong for this account, or was rotated; copy key1 or key2 again from the portal (Access keys) or use Microsoft Entra ID instead.`;
    case "sas": {
      const expiry = sasExpiry(context);
      if (expiry && expiry.getTime() <= Date.now()) {
        return `${what} failed: the SAS token expired at ${expiry.toISOString()}. Create a new SAS; prefer short-lived tokens created on demand.`;
      }
      if (/time frame|not yet valid|start/i.test(serviceMessage)) {
        return `${what} failed: the SAS token is not valid at this time (start time in the future, or clock skew). Start SAS tokens 15 minutes in the past.`;
      }
      return `${what} failed: the SAS token was not accepted. Its signature does not match: it was altered, or signed with a key that was rotated or belongs to another account. Create a new SAS.`;
    }
    case "entra":
      return `${what} failed: the Microsoft Entra ID token was not accepted (${serviceMessage.split("\n")[0]}). Check that the token is for the audience https://storage.azure.com and the right tenant.`;
    default:
      return `${what} failed: the service requires authentication and the client has no credential. Connect with Microsoft Entra ID, a SAS token or an account key.`;
  }
}

function permissionMessage(
  what: string,
  kind: CredentialKind,
  context: ErrorContext | undefined,
): string {
  const access = context?.access;
  switch (kind) {
    case "sas": {
      const needed = access ? SAS_PERMISSION[access] : undefined;
      const granted = sasPermissions(context);
      return `${what} was refused: the SAS token does not allow it${granted ? ` (it grants '${granted}')` : ""}. ${needed ? `Create a SAS that includes permission ${needed}` : "Use a SAS with the needed permission or resource type"}.`;
    }
    case "entra":
      return `${what} was refused: your identity is signed in but lacks a data role for it. Assign '${access ? ROLE[access] : "Storage Blob Data Contributor"}' (or a role above it) on the account or container. Owner or Contributor on the account do not grant data access. Role assignments can take a few minutes to apply.`;
    default:
      return `${what} was refused (403). The account may restrict access by network rules or disallow this kind of authorization; check the account's networking and configuration settings.`;
  }
}

function codeFor(
  status: number,
  serviceCode: string | undefined,
  message: string,
): StorageErrorCode {
  const sc = serviceCode ?? "";
  if (/^Lease/.test(sc)) return "LeaseConflict";
  if (status === 400) return "BadRequest";
  if (status === 401) return "AuthenticationFailed";
  if (status === 403) {
    // Azure answers AuthenticationFailed for a bad signature; Azurite answers AuthorizationFailure
    // with the same "failed to authenticate" text, so the text decides too.
    return sc === "AuthenticationFailed" ||
      sc === "InvalidAuthenticationInfo" ||
      sc === "" ||
      /failed to authenticate|signature|expired|time frame/i.test(message)
      ? "AuthenticationFailed"
      : "PermissionDenied";
  }
  if (status === 404) return "NotFound";
  if (status === 409) return /AlreadyExists$/.test(sc) ? "AlreadyExists" : "Conflict";
  if (status === 304 || status === 412) return "PreconditionFailed";
  if (status === 416) return "RangeNotSatisfiable";
  if (status === 429 || (status === 503 && /ServerBusy|Throttl/i.test(sc))) return "Throttled";
  if (status === 501) return "NotSupported";
  if (status >= 500) return "ServerError";
  return "Unknown";
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
 * try {
 *   await service.getContainerClient("x").create();
 * } catch (error) {
 *   throw toStorageError(error, { operation: "create container", client: service, access: "create" });
 * }
 * ```
 */
export function toStorageError(error: unknown, context?: ErrorContext): StorageError {
  if (error instanceof StorageError) return error;
  const what = describe(context);
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

/**
 * Runs one storage operation and converts whatever it throws with {@link toStorageError}. BlobKit's
 * packages wrap every SDK call in it; use it in your own extensions for the same messages.
 *
 * @example
 * ```ts
 * const props = await runOperation(
 *   { operation: "get properties", resource: `blob '${blob.name}'`, client: blob, access: "read" },
 *   () => blob.getProperties({ abortSignal: signal }),
 * );
 * ```
 */
export async function runOperation<T>(context: ErrorContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toStorageError(error, context);
  }
}

/**
 * Throws an `Aborted` {@link StorageError} if the signal has fired. Call it before starting work.
 *
 * @example
 * ```ts
 * throwIfAborted(options.signal, "upload blob");
 * ```
 */
export function throwIfAborted(signal: AbortSignal | undefined, operation: string): void {
  if (signal?.aborted) {
    throw new StorageError(
      "Aborted",
      `${capitalize(operation)} was cancelled by its AbortSignal.`,
      {
        operation,
      },
    );
  }
}
