// parseSas(): reads a SAS URL or token into a typed description (kind, resource, permissions in
// words, validity, protocol, IP range, signed identity, stored policy) with review warnings. The
// signature is never read into the result.
import { invalidArgument } from "@blobkit/auth/kit";
import { permissionName } from "./internal/permissions.js";
import { formatDuration, isLoopbackHost } from "./internal/validity.js";
import type {
  AccountSasResourceType,
  SasIpRange,
  SasKind,
  SasPermission,
  SasProtocol,
  SasResponseHeaders,
} from "./SasOptions.js";
import { SAS_DEFAULTS } from "./SasOptions.js";

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

/** Options for {@link parseSas}. */
export interface ParseSasOptions {
  /**
   * The clock for "time left" and the warnings.
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
}

const KNOWN = new Set([
  "sv",
  "ss",
  "srt",
  "spr",
  "st",
  "se",
  "sip",
  "si",
  "ses",
  "skoid",
  "sktid",
  "skt",
  "ske",
  "sks",
  "skv",
  "skdutid",
  "sduoid",
  "sr",
  "sp",
  "sig",
  "rscc",
  "rscd",
  "rsce",
  "rscl",
  "rsct",
  "saoid",
  "suoid",
  "scid",
  "sdd",
  "srh",
  "srq",
]);

const RESOURCES: Record<string, SasResourceKind> = {
  c: "container",
  b: "blob",
  bs: "blob-snapshot",
  bv: "blob-version",
  d: "directory",
};

const SERVICES: Record<string, SasService> = { b: "blob", f: "file", q: "queue", t: "table" };
const RESOURCE_TYPES: Record<string, AccountSasResourceType> = {
  s: "service",
  c: "container",
  o: "object",
};

/** Letters that let a holder destroy or lock data, or change more than content. */
const RISKY: Record<string, string> = {
  d: "delete",
  x: "delete versions",
  y: "delete permanently",
  i: "set immutability policies",
  m: "move",
  e: "execute",
  o: "change owners",
  p: "change ACLs",
};

function unreadable(problem: string): never {
  throw invalidArgument("sas", problem);
}

function splitInput(input: string): { query: URLSearchParams; url: URL | undefined } {
  if (typeof input !== "string" || input.trim() === "") {
    unreadable("is required: a SAS URL or token such as sv=...&se=...&sp=...&sig=...");
  }
  const text = input.trim();
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      unreadable("looks like a URL but could not be parsed");
    }
    return { query: url.searchParams, url };
  }
  return { query: new URLSearchParams(text.replace(/^\?/, "")), url: undefined };
}

function dateField(query: URLSearchParams, key: string): Date | undefined {
  const raw = query.get(key);
  if (raw === null || raw === "") return undefined;
  // ISO 8601 as Azure accepts it: a date, or a date and time in UTC.
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)) {
    unreadable(
      `has an unreadable '${key}' time; Azure expects ISO 8601 UTC such as 2024-05-01T12:00:00Z`,
    );
  }
  const date = new Date(/[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(raw) ? `${raw}Z` : raw);
  if (Number.isNaN(date.getTime())) unreadable(`has an invalid '${key}' time`);
  return date;
}

function optional(query: URLSearchParams, key: string): string | undefined {
  const value = query.get(key);
  return value === null || value === "" ? undefined : value;
}

function locate(url: URL): SasLocation {
  const segments = url.pathname.replace(/^\//, "").split("/");
  const decode = (value: string) => {
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const pathStyle = isLoopbackHost(host) || /^[\d.]+$/.test(host) || host.includes(":");
  let accountName: string | undefined;
  let rest = segments;
  let endpoint = url.origin;
  if (pathStyle) {
    accountName = segments[0] ? decode(segments[0]) : undefined;
    rest = segments.slice(1);
    if (accountName) endpoint = `${url.origin}/${segments[0]}`;
  } else if (/\.blob\./.test(host)) {
    accountName = host.split(".")[0];
  }
  const container = rest[0] ? decode(rest[0]) : undefined;
  const blobPart = rest.slice(1).join("/");
  return {
    endpoint,
    accountName,
    container,
    blob: blobPart ? decode(blobPart) : undefined,
  };
}

function parseIpRange(raw: string | undefined): SasIpRange | undefined {
  if (raw === undefined) return undefined;
  const [start, end, extra] = raw.split("-");
  if (!start || extra !== undefined) unreadable("has an unreadable 'sip' IP range");
  return end ? { start, end } : { start };
}

function reviewOf(d: Omit<SasDescription, "warnings">, now: Date): SasWarning[] {
  const warnings: SasWarning[] = [];
  const add = (code: SasWarningCode, severity: SasWarningSeverity, message: string) =>
    warnings.push({ code, severity, message });
  if (d.expiresOn && d.expired) {
    add(
      "expired",
      "high",
      `It expired ${formatDuration(now.getTime() - d.expiresOn.getTime())} ago (${d.expiresOn.toISOString()}); it no longer works. Create a new one.`,
    );
  }
  if (d.startsOn && d.startsOn.getTime() > now.getTime()) {
    add(
      "not-yet-valid",
      "medium",
      `It becomes valid only in ${formatDuration(d.startsOn.getTime() - now.getTime())} (${d.startsOn.toISOString()}); requests before then fail with 403.`,
    );
  }
  if (!d.expiresOn) {
    add(
      "no-expiry",
      d.storedPolicyId ? "medium" : "high",
      d.storedPolicyId
        ? `The token has no expiry of its own: stored access policy '${d.storedPolicyId}' must define one. Check that the policy sets an expiry.`
        : "The token has no expiry and no stored access policy; Azure refuses it.",
    );
  } else {
    const from = d.startsOn ?? now;
    const lifetime = d.expiresOn.getTime() - from.getTime();
    if (lifetime > SAS_DEFAULTS.maxLifetimeMs) {
      add(
        "long-lived",
        "high",
        `It is valid for ${formatDuration(lifetime)}. A leaked long-lived SAS stays usable for all that time; prefer SAS of minutes or hours created on demand${d.kind === "service" ? ", or bind it to a stored access policy you can revoke" : ""}.`,
      );
    }
    const keyExpiresOn = d.signedIdentity?.keyExpiresOn;
    if (keyExpiresOn && keyExpiresOn.getTime() < d.expiresOn.getTime()) {
      add(
        "expires-after-key",
        "medium",
        `Its delegation key expires at ${keyExpiresOn.toISOString()}, before the SAS (${d.expiresOn.toISOString()}): it stops working when the key does.`,
      );
    }
  }
  if (d.kind === "account") {
    const others = (d.services ?? []).filter((service) => service !== "blob");
    add(
      "account-wide",
      "medium",
      `An account SAS reaches every container of the account${d.resourceTypes?.includes("service") ? ", including listing containers" : ""}${others.length ? ` and also the ${others.join(", ")} service${others.length > 1 ? "s" : ""}` : ""}. Prefer a SAS for one container or blob.`,
    );
  }
  if (d.kind === "account" || d.kind === "service") {
    add(
      "account-key-signed",
      d.storedPolicyId ? "low" : "medium",
      d.storedPolicyId
        ? `Signed with the account key and bound to stored access policy '${d.storedPolicyId}': remove or change the policy to revoke it.`
        : "Signed with the account key: it can be revoked only by rotating that key. Prefer a user delegation SAS (Microsoft Entra ID), or bind a service SAS to a stored access policy.",
    );
  }
  if (!d.httpsOnly) {
    const local = d.location ? isLoopbackHost(new URL(d.location.endpoint).hostname) : false;
    add(
      "http-allowed",
      local ? "low" : "medium",
      local
        ? "It also works over plain HTTP, which is acceptable only for an emulator on this machine; use HTTPS-only SAS (spr=https) anywhere else."
        : "It also works over plain HTTP, where the token and the data travel unencrypted. Use HTTPS-only SAS (spr=https) outside a local emulator.",
    );
  }
  const risky = [...d.permissions.letters]
    .filter((letter) => Object.hasOwn(RISKY, letter) && !(d.kind === "account" && letter === "p"))
    .map((letter) => `${RISKY[letter]} (${letter})`);
  const writes = /[wac]/.test(d.permissions.letters);
  if (risky.length > 0 || (writes && d.permissions.letters.length >= 5)) {
    add(
      "broad-permissions",
      "medium",
      `It grants ${risky.length > 0 ? risky.join(", ") : `${d.permissions.letters.length} permissions including writes`}. Grant only what the holder needs, e.g. read (r) for a download link.`,
    );
  }
  if (!d.ipRange) {
    add(
      "no-ip-restriction",
      "low",
      "Anyone who obtains it can use it from any address. When the callers' addresses are known, restrict it with an IP range.",
    );
  }
  const order: Record<SasWarningSeverity, number> = { high: 0, medium: 1, low: 2 };
  return warnings.sort((a, b) => order[a.severity] - order[b.severity]);
}

/**
 * Reads a SAS URL or token into a typed description: its kind (user delegation, service or
 * account), the resource, the permissions in words, start, expiry and time left, protocol, IP
 * range, the signed identity of a user delegation SAS, and the stored access policy, plus review
 * warnings (expired, long-lived, signed with the account key, HTTP allowed, broad permissions, no
 * IP restriction...). The signature is never read into the result, and errors never quote the
 * input, so both are safe to log. Use {@link explainSas} for the same as readable text.
 *
 * @example
 * ```ts
 * const sas = parseSas("https://myaccount.blob.core.windows.net/reports/q1.pdf?sv=...&sig=...");
 * sas.kind;                 // "user-delegation"
 * sas.permissions.names;    // ["read"]
 * sas.expiresInMs;          // 3_540_000
 * sas.warnings.map((w) => w.code); // ["no-ip-restriction"]
 * ```
 */
export function parseSas(sas: string, options: ParseSasOptions = {}): SasDescription {
  const { query, url } = splitInput(sas);
  const version = optional(query, "sv");
  const missing = [
    ...(version === undefined ? ["'sv' (version)"] : []),
    ...(optional(query, "sig") === undefined ? ["'sig' (signature)"] : []),
  ];
  if (missing.length > 0) {
    unreadable(
      `is not a SAS: it lacks ${missing.join(" and ")}. A SAS looks like sv=...&se=...&sp=...&sig=...`,
    );
  }
  const account = query.has("ss") || query.has("srt");
  const delegated = query.has("skoid");
  const sr = optional(query, "sr");
  let kind: SasKind;
  let resource: SasResourceKind;
  if (account) {
    kind = "account";
    resource = "account";
  } else {
    if (sr === undefined) {
      unreadable("has neither 'sr' (service or user delegation SAS) nor 'ss'/'srt' (account SAS)");
    }
    const known = RESOURCES[sr];
    if (!known) unreadable(`has an unknown signed resource 'sr=${sr}'`);
    kind = delegated ? "user-delegation" : "service";
    resource = known;
  }
  const letters = query.get("sp") ?? "";
  const names: SasPermission[] = [];
  const unknown: string[] = [];
  for (const letter of letters) {
    const name = permissionName(letter, account);
    if (name && !names.includes(name)) names.push(name);
    else if (!name) unknown.push(letter);
  }
  const spr = optional(query, "spr");
  if (spr !== undefined && spr !== "https" && spr !== "https,http") {
    unreadable(`has an unknown protocol 'spr=${spr}'; Azure accepts https or https,http`);
  }
  const startsOn = dateField(query, "st");
  const expiresOn = dateField(query, "se");
  const clock = options.now ?? (() => new Date());
  const now = clock();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw invalidArgument("now", "must return a valid Date");
  }
  const list = <T>(
    raw: string | undefined,
    table: Record<string, T>,
    key: string,
  ): T[] | undefined => {
    if (raw === undefined) return undefined;
    return [...raw].map((letter) => {
      const value = table[letter];
      if (value === undefined) unreadable(`has an unknown letter '${letter}' in '${key}'`);
      return value;
    });
  };
  const headers: SasResponseHeaders = {};
  const headerKeys = [
    ["rscc", "cacheControl"],
    ["rscd", "contentDisposition"],
    ["rsce", "contentEncoding"],
    ["rscl", "contentLanguage"],
    ["rsct", "contentType"],
  ] as const;
  for (const [key, field] of headerKeys) {
    const value = optional(query, key);
    if (value !== undefined) headers[field] = value;
  }
  const depth = optional(query, "sdd");
  if (depth !== undefined && !/^\d+$/.test(depth)) unreadable("has an unreadable 'sdd' depth");
  const skoid = optional(query, "skoid");
  const description: Omit<SasDescription, "warnings"> = {
    kind,
    resource,
    version: version as string,
    permissions: { letters, names, unknown },
    startsOn,
    expiresOn,
    expiresInMs: expiresOn ? expiresOn.getTime() - now.getTime() : undefined,
    expired: expiresOn ? expiresOn.getTime() <= now.getTime() : false,
    protocol: spr,
    httpsOnly: spr === "https",
    ipRange: parseIpRange(optional(query, "sip")),
    storedPolicyId: optional(query, "si"),
    signedIdentity: skoid
      ? {
          objectId: skoid,
          tenantId: optional(query, "sktid"),
          keyStartsOn: dateField(query, "skt"),
          keyExpiresOn: dateField(query, "ske"),
          keyService: optional(query, "sks"),
          keyVersion: optional(query, "skv"),
          delegatedUserObjectId: optional(query, "sduoid"),
          delegatedUserTenantId: optional(query, "skdutid"),
          preauthorizedAgentObjectId: optional(query, "saoid"),
          correlationId: optional(query, "scid"),
        }
      : undefined,
    services: list(optional(query, "ss"), SERVICES, "ss"),
    resourceTypes: list(optional(query, "srt"), RESOURCE_TYPES, "srt"),
    directoryDepth: depth === undefined ? undefined : Number(depth),
    encryptionScope: optional(query, "ses"),
    responseHeaders: Object.keys(headers).length > 0 ? headers : undefined,
    location: url ? locate(url) : undefined,
    unrecognizedParameters: [...new Set(query.keys())].filter((key) => !KNOWN.has(key)),
    checkedAt: now,
  };
  return { ...description, warnings: reviewOf(description, now) };
}
