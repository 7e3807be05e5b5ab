// The types every SAS-creating function shares: what to sign for, which permissions, the common
// options and the result. The home of shared types: `internal/` imports them from here, never
// from a capability file.
import type { OperationOptions } from "@blobkit/auth";

/**
 * A permission a SAS can grant, in words. Each maps to one letter of Azure's `sp` field:
 * `read` r, `add` a, `create` c, `write` w, `delete` d, `deleteVersion` x, `permanentDelete` y,
 * `list` l, `tag` t, `filterByTags` f, `move` m, `execute` e, `setImmutabilityPolicy` i.
 * `changeOwner` o and `changePermissions` p (hierarchical namespace) and `update` u and
 * `process` p (account SAS, queue and table services) are only reported by {@link parseSas}.
 */
export type SasPermission =
  | "read"
  | "add"
  | "create"
  | "write"
  | "delete"
  | "deleteVersion"
  | "permanentDelete"
  | "list"
  | "tag"
  | "filterByTags"
  | "move"
  | "execute"
  | "setImmutabilityPolicy"
  | "changeOwner"
  | "changePermissions"
  | "update"
  | "process";

/**
 * Permissions to grant: Azure's letters (`"rl"`) or words (`["read", "list"]`). Always explicit:
 * BlobKit never defaults to "all", and rejects a letter that the resource does not accept
 * (e.g. `l` on a blob).
 */
export type SasPermissionsInput = string | readonly SasPermission[];

/**
 * What a service or user delegation SAS is for: a whole container, one blob, or every blob under a
 * directory prefix (`directory`; Azure accepts directory SAS only on accounts with a hierarchical
 * namespace). Give `blob` or `directory`, not both.
 *
 * @example
 * ```ts
 * import type { SasTarget } from "@blobkit/sas";
 *
 * const container: SasTarget = { container: "reports" };
 * const blob: SasTarget = { container: "reports", blob: "2024/q1.pdf" };
 * const directory: SasTarget = { container: "reports", directory: "2024" };
 * ```
 */
export interface SasTarget {
  /** The container name. */
  container: string;
  /** A blob in the container: the SAS is valid for this blob only. */
  blob?: string;
  /** A directory prefix such as `"2024/q1"`: the SAS is valid for every blob under it. */
  directory?: string;
}

/** An IPv4 address or range the SAS accepts requests from. */
export interface SasIpRange {
  /** First address, e.g. `"203.0.113.0"`. */
  start: string;
  /** Last address; leave out for a single address. */
  end?: string;
}

/** Header values the service returns when the blob is read through the SAS (`rscc`, `rscd`, ...). */
export interface SasResponseHeaders {
  /** `Cache-Control` of the response. */
  cacheControl?: string;
  /** `Content-Disposition`, e.g. `attachment; filename="report.pdf"` to force a download. */
  contentDisposition?: string;
  /** `Content-Encoding` of the response. */
  contentEncoding?: string;
  /** `Content-Language` of the response. */
  contentLanguage?: string;
  /** `Content-Type` of the response. */
  contentType?: string;
}

/**
 * What an account SAS reaches: `service` (list containers, account-level operations),
 * `container` (create, delete and list containers' contents) and `object` (blobs).
 */
export type AccountSasResourceType = "service" | "container" | "object";

/** The protocols a SAS allows: HTTPS only, or HTTPS and plain HTTP. */
export type SasProtocol = "https" | "https,http";

/** Options every SAS-creating function accepts. */
export interface SasCommonOptions extends OperationOptions {
  /**
   * When the SAS becomes valid.
   * @defaultValue 15 minutes ago, so that clocks a little ahead of the service's do not make a
   * fresh SAS fail
   */
  startsOn?: Date;
  /**
   * When the SAS stops working. Must be in the future. More than 7 days away is refused unless
   * `allowLongLived` is set (service and account SAS); a user delegation SAS can never last more
   * than 7 days, the longest a delegation key lives.
   * @defaultValue one hour from now, or from `startsOn` if that is later
   */
  expiresOn?: Date;
  /**
   * Allow the SAS to be used over plain HTTP. Without it the SAS is HTTPS-only, except for an
   * emulator on a loopback address served over `http://`, where HTTP is allowed automatically.
   * @defaultValue false
   */
  allowHttp?: boolean;
  /** Accept requests only from this IPv4 address or range. */
  ipRange?: SasIpRange;
  /** Headers the service returns when the blob is read with the SAS (service and user delegation SAS). */
  responseHeaders?: SasResponseHeaders;
}

/** Which key signed a SAS. */
export type SasKind = "user-delegation" | "service" | "account";

/** A SAS that BlobKit created. Treat `token` and `url` as secrets: never log them. */
export interface SasResult {
  /** The SAS token: the query string, without a leading `?`. */
  token: string;
  /** The resource URL with the token appended: what you hand to the client. */
  url: string;
  /** Which key signed it. */
  kind: SasKind;
  /**
   * The granted permissions, as Azure's letters in canonical order (the `sp` field); empty when a
   * stored access policy defines them.
   */
  permissions: string;
  /** When it becomes valid, as written in the token (whole seconds); absent if a stored policy decides. */
  startsOn: Date | undefined;
  /** When it expires, as written in the token (whole seconds); absent if a stored policy decides. */
  expiresOn: Date | undefined;
  /** The protocols it allows. */
  protocol: SasProtocol;
}
