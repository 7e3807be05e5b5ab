// What BlobKit says when the service refuses a credential or an access: the credential kind, the
// SAS permission or Azure role that is missing, an expired SAS; and which StorageErrorCode a
// status and service code map to.
import type { StorageErrorCode } from "../StorageError.js";
import type { AccessKind, ClientLike, CredentialKind, ErrorContext } from "../types.js";
import { parseSasToken } from "./endpoints.js";

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

/**
 * Tells how a client authenticates: Microsoft Entra ID, SAS, account key, or anonymous.
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { credentialKindOf } from "@blobkit/auth/kit";
 *
 * declare const service: BlobServiceClient;
 * credentialKindOf(service); // "entra", "sas", "accountKey" or "anonymous"
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

export function sasExpiry(context: ErrorContext | undefined): Date | undefined {
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

export function authenticationMessage(
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

export function permissionMessage(
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

export function codeFor(
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
