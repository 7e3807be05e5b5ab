// What parseSas() returns: a SAS described field by field (kind, resource, permissions in words,
// validity, protocol, IP range, signed identity, stored policy, location) and its review findings.
// explainSas() and the review read this type; it never holds the signature.
import type {
  AccountSasResourceType,
  SasIpRange,
  SasKind,
  SasPermission,
  SasProtocol,
  SasResponseHeaders,
} from "./types.js";

/** What a SAS grants access to. */
export type SasResourceKind =
  | "account"
  | "container"
  | "blob"
  | "blob-snapshot"
  | "blob-version"
  | "directory";

/** A storage service an account SAS reaches. */
export type SasService = "blob" | "file" | "queue" | "table";

/** The permissions of a SAS, as letters and in words. */
export interface SasPermissionsDescription {
  /** The `sp` field as written, e.g. `"rl"`; empty when a stored access policy defines them. */
  letters: string;
  /** The permissions in words, e.g. `["read", "list"]`. */
  names: SasPermission[];
  /** Letters BlobKit does not know. */
  unknown: string[];
}

/**
 * Who signed a user delegation SAS: the Microsoft Entra ID identity that obtained the delegation
 * key, and the key's validity.
 */
export interface SasSignedIdentity {
  /** Object id of the identity that requested the key (`skoid`). */
  objectId: string;
  /** Its tenant (`sktid`). */
  tenantId: string | undefined;
  /** When the delegation key became valid (`skt`). */
  keyStartsOn: Date | undefined;
  /** When the delegation key expires (`ske`); the SAS cannot work past it. */
  keyExpiresOn: Date | undefined;
  /** The service the key is for (`sks`, `b` for blob). */
  keyService: string | undefined;
  /** The service version that issued the key (`skv`). */
  keyVersion: string | undefined;
  /** The only user allowed to use the SAS, if it is bound to one (`sduoid`). */
  delegatedUserObjectId: string | undefined;
  /** That user's tenant (`skdutid`). */
  delegatedUserTenantId: string | undefined;
  /** A user the key owner pre-authorized to act (`saoid`). */
  preauthorizedAgentObjectId: string | undefined;
  /** Correlation id for storage logs (`scid`). */
  correlationId: string | undefined;
}

/** Where a SAS URL points (only when a URL, not a bare token, was parsed). */
export interface SasLocation {
  /** The blob service endpoint, e.g. `https://myaccount.blob.core.windows.net`. */
  endpoint: string;
  /** The account name, when the URL shows it. */
  accountName: string | undefined;
  /** The container in the path. */
  container: string | undefined;
  /** The blob name (or directory path) in the path, decoded. */
  blob: string | undefined;
}

/** How serious a review finding is. */
export type SasWarningSeverity = "high" | "medium" | "low";

/** What a review finding is about. */
export type SasWarningCode =
  | "expired"
  | "not-yet-valid"
  | "no-expiry"
  | "long-lived"
  | "expires-after-key"
  | "account-key-signed"
  | "account-wide"
  | "http-allowed"
  | "broad-permissions"
  | "no-ip-restriction";

/** One finding of the review of a SAS. */
export interface SasWarning {
  /** What it is about. */
  code: SasWarningCode;
  /** How serious it is. */
  severity: SasWarningSeverity;
  /** What is wrong and what to do, in one or two sentences. */
  message: string;
}

/** A SAS, described field by field. It never contains the signature. */
export interface SasDescription {
  /** Which key signed it: a user delegation key, the account key for one resource, or the account key for the account. */
  kind: SasKind;
  /** What it grants access to (`sr`, or `account`). */
  resource: SasResourceKind;
  /** The signed service version (`sv`). */
  version: string;
  /** The permissions, in letters and words. */
  permissions: SasPermissionsDescription;
  /** When it becomes valid (`st`); absent means "from when it was signed" or from a stored policy. */
  startsOn: Date | undefined;
  /** When it expires (`se`); absent only when a stored policy defines it. */
  expiresOn: Date | undefined;
  /** Time left until expiry at the moment of parsing; negative once expired. */
  expiresInMs: number | undefined;
  /** Whether it had expired at the moment of parsing. */
  expired: boolean;
  /** The protocols it allows (`spr`); absent means HTTPS and HTTP. */
  protocol: SasProtocol | undefined;
  /** Whether it works over HTTPS only. */
  httpsOnly: boolean;
  /** The IPv4 address or range it accepts requests from (`sip`). */
  ipRange: SasIpRange | undefined;
  /** The stored access policy it is bound to (`si`). */
  storedPolicyId: string | undefined;
  /** For a user delegation SAS: who signed it. */
  signedIdentity: SasSignedIdentity | undefined;
  /** For an account SAS: the services it reaches (`ss`). */
  services: SasService[] | undefined;
  /** For an account SAS: the resource types it reaches (`srt`). */
  resourceTypes: AccountSasResourceType[] | undefined;
  /** For a directory SAS: the depth of the directory (`sdd`). */
  directoryDepth: number | undefined;
  /** The encryption scope requests must use (`ses`). */
  encryptionScope: string | undefined;
  /** Response headers it overrides (`rscc`, `rscd`, `rsce`, `rscl`, `rsct`). */
  responseHeaders: SasResponseHeaders | undefined;
  /** Where the URL points, when a URL was parsed. */
  location: SasLocation | undefined;
  /** Names of query parameters that are not SAS fields (their values are not kept). */
  unrecognizedParameters: string[];
  /** Review findings, most serious first. */
  warnings: SasWarning[];
  /** The time the description (time left, warnings) was computed at. */
  checkedAt: Date;
}
