// Validation of account URLs, account names and keys, SAS tokens and connection strings.
import { invalidArgument } from "../StorageError.js";

/**
 * A pasted value without its surroundings: whitespace (a trailing newline from a file or a
 * terminal) and one pair of matching quotes (`.env` files and `docker --env-file` keep them).
 * Account keys, SAS tokens and connection strings never start and end with a quote themselves.
 */
export function unquote(value: string): string {
  const trimmed = value.trim();
  const match = /^(["'])([\s\S]*)\1$/.exec(trimmed);
  return match ? (match[2] ?? "").trim() : trimmed;
}

/** Whether a host name is this machine (where plain HTTP is acceptable for an emulator). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Parses and checks an account URL: https (http only on loopback or with `allowHttp`), no query. */
export function parseAccountUrl(value: unknown, field: string, allowHttp: boolean): URL {
  if (typeof value !== "string" || value.trim() === "") {
    throw invalidArgument(field, "is required, e.g. https://myaccount.blob.core.windows.net");
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidArgument(
      field,
      "is not a URL; expected something like https://myaccount.blob.core.windows.net",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalidArgument(field, `must use https, not ${url.protocol.replace(":", "")}`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname) && !allowHttp) {
    throw invalidArgument(
      field,
      `uses plain http for ${url.hostname}; credentials would travel unencrypted. Use https, or pass allowHttp: true for a trusted emulator on your network.`,
    );
  }
  if (url.search !== "") {
    throw invalidArgument(
      field,
      "must not contain a query string; pass a SAS token with method: 'sas' instead",
    );
  }
  if (url.username || url.password) {
    throw invalidArgument(field, "must not contain a user name or password");
  }
  return url;
}

/** Checks an account name: 3-24 lowercase letters and digits. */
export function checkAccountName(value: unknown, field = "accountName"): string {
  if (typeof value !== "string" || !/^[a-z0-9]{3,24}$/.test(value)) {
    throw invalidArgument(
      field,
      "must be 3-24 lowercase letters and digits (the name of the storage account)",
    );
  }
  return value;
}

/**
 * Checks the shape of an account key without ever echoing it, and returns it without the
 * whitespace or quotes a paste may have added.
 */
export function checkAccountKey(value: unknown, field = "accountKey"): string {
  if (typeof value !== "string" || unquote(value).length === 0) {
    throw invalidArgument(field, "is required");
  }
  const key = unquote(value);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0) {
    throw invalidArgument(
      field,
      `is not a base64 account key (length ${key.length}${/\s/.test(key) ? ", with whitespace inside" : ""}); copy key1 or key2 from the portal's Access keys page`,
    );
  }
  return key;
}

/** Parsed view of a SAS token's signed fields; the signature itself is never kept. */
export interface SasTokenShape {
  /** The token without a leading `?`. */
  token: string;
  expiresOn: Date | undefined;
  startsOn: Date | undefined;
  permissions: string | undefined;
  storedPolicy: string | undefined;
  /**
   * What a service SAS was made for (`sr`): `c` a container, `b` a blob, `bs`/`bv` a snapshot or
   * version, `d` a directory; undefined for an account SAS.
   */
  resource: string | undefined;
  /** An account SAS's resource types (`srt`): `s` service, `c` container, `o` object. */
  resourceTypes: string | undefined;
}

/** Checks that a SAS token has a version, a signature and an expiry (or stored policy). */
export function parseSasToken(value: unknown, field = "sasToken"): SasTokenShape {
  if (typeof value !== "string" || unquote(value) === "") {
    throw invalidArgument(field, "is required");
  }
  const token = unquote(value).replace(/^\?/, "");
  if (/^https?:/i.test(token)) {
    throw invalidArgument(
      field,
      "looks like a URL; pass the URL's account part as accountUrl and only the query (after '?') as sasToken",
    );
  }
  const params = new URLSearchParams(token);
  const missing = ["sv", "sig"].filter((key) => !params.has(key));
  if (!params.has("se") && !params.has("si")) missing.push("se");
  if (missing.length > 0) {
    throw invalidArgument(
      field,
      `is not a SAS token: it lacks ${missing.map((m) => `'${m}'`).join(", ")}. A SAS looks like sv=...&se=...&sp=...&sig=...`,
    );
  }
  const date = (key: string): Date | undefined => {
    const raw = params.get(key);
    if (raw === null) return undefined;
    const parsed = new Date(raw);
    if (Number.isNaN(parsed.getTime())) {
      throw invalidArgument(field, `has an unreadable '${key}' time: ${raw}`);
    }
    return parsed;
  };
  return {
    token,
    expiresOn: date("se"),
    startsOn: date("st"),
    permissions: params.get("sp") ?? undefined,
    storedPolicy: params.get("si") ?? undefined,
    resource: params.get("sr") ?? undefined,
    resourceTypes: params.get("srt") ?? undefined,
  };
}

const CONNECTION_STRING_KEYS = new Map(
  [
    "DefaultEndpointsProtocol",
    "AccountName",
    "AccountKey",
    "BlobEndpoint",
    "BlobSecondaryEndpoint",
    "QueueEndpoint",
    "QueueSecondaryEndpoint",
    "TableEndpoint",
    "TableSecondaryEndpoint",
    "FileEndpoint",
    "FileSecondaryEndpoint",
    "EndpointSuffix",
    "SharedAccessSignature",
    "UseDevelopmentStorage",
    "DevelopmentStorageProxyUri",
  ].map((key) => [key.toLowerCase(), key]),
);

/** The parts of a connection string BlobKit uses. */
export interface ParsedConnectionString {
  /**
   * The checked entries again, as a connection string the SDK parses the same way: canonical key
   * names, trimmed values, and `DefaultEndpointsProtocol` where the SDK needs it to see the key.
   * (The SDK matches key names case-sensitively, takes the first of duplicate keys, and treats a
   * string without `DefaultEndpointsProtocol` as a SAS connection string.)
   */
  canonical: string;
  developmentStorage: boolean;
  accountName?: string;
  hasAccountKey: boolean;
  /** `DevelopmentStorageProxyUri` of a `UseDevelopmentStorage=true` string. */
  developmentStorageProxy?: string;
  sas?: SasTokenShape;
  blobEndpoint?: URL;
}

/** Parses and checks a storage connection string; names the key that is wrong, never a value. */
export function parseConnectionString(
  value: unknown,
  allowHttp: boolean,
  field = "connectionString",
): ParsedConnectionString {
  if (typeof value !== "string" || unquote(value) === "") {
    throw invalidArgument(field, "is required");
  }
  const entries = new Map<string, string>();
  for (const part of unquote(value).split(";")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) {
      throw invalidArgument(
        field,
        "has a part without 'Key=Value'; it should look like DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net",
      );
    }
    const rawKey = part.slice(0, eq).trim();
    const key = CONNECTION_STRING_KEYS.get(rawKey.toLowerCase());
    if (!key && /^["'`]/.test(rawKey)) {
      // Matching quotes around the whole string are removed above; a lone one is a paste error.
      throw invalidArgument(
        field,
        "starts with a quote that does not close at its end: remove the quotes around the value",
      );
    }
    if (!key) {
      // A part without its "Name=" (e.g. a key pasted alone) would otherwise be shown up to its
      // first "=": only show what looks like a key name.
      const shown = /^[A-Za-z]{1,40}$/.test(rawKey)
        ? `'${rawKey}'`
        : "(not shown: it may be a secret)";
      throw invalidArgument(
        field,
        `has an unknown key ${shown}; known keys are ${[...CONNECTION_STRING_KEYS.values()].join(", ")}`,
      );
    }
    if (entries.has(key)) {
      // The SDK would use the first, a later check the last: give each key once.
      throw invalidArgument(field, `has the key '${key}' more than once`);
    }
    entries.set(key, part.slice(eq + 1).trim());
  }
  if (entries.get("UseDevelopmentStorage")?.toLowerCase() === "true") {
    // Anything else next to it would be silently ignored (the SDK uses 127.0.0.1:10000).
    const others = [...entries.keys()].filter(
      (key) => key !== "UseDevelopmentStorage" && key !== "DevelopmentStorageProxyUri",
    );
    if (others.length > 0) {
      throw invalidArgument(
        field,
        `combines UseDevelopmentStorage=true with ${others.join(", ")}, which it ignores (it always means http://127.0.0.1:10000/devstoreaccount1). For an emulator elsewhere, give AccountName, AccountKey and BlobEndpoint instead, or use method: 'emulator'`,
      );
    }
    const proxy = entries.get("DevelopmentStorageProxyUri");
    return {
      canonical: `UseDevelopmentStorage=true${proxy ? `;DevelopmentStorageProxyUri=${proxy}` : ""}`,
      developmentStorage: true,
      accountName: "devstoreaccount1",
      hasAccountKey: true,
      ...(proxy ? { developmentStorageProxy: proxy } : {}),
    };
  }
  const blobEndpoint = entries.has("BlobEndpoint")
    ? parseAccountUrl(entries.get("BlobEndpoint"), `${field} BlobEndpoint`, allowHttp)
    : undefined;
  const sas = entries.has("SharedAccessSignature")
    ? parseSasToken(entries.get("SharedAccessSignature"), `${field} SharedAccessSignature`)
    : undefined;
  const accountName = entries.get("AccountName");
  if (entries.has("AccountKey")) {
    entries.set("AccountKey", checkAccountKey(entries.get("AccountKey"), `${field} AccountKey`));
    if (!accountName) throw invalidArgument(field, "has an AccountKey but no AccountName");
  }
  if (!entries.has("AccountKey") && !sas) {
    throw invalidArgument(
      field,
      "has neither AccountKey nor SharedAccessSignature; for Microsoft Entra ID use method: 'entra' with the account URL",
    );
  }
  if (!blobEndpoint && !accountName) {
    throw invalidArgument(field, "has neither AccountName nor BlobEndpoint");
  }
  const protocol = entries.get("DefaultEndpointsProtocol");
  if (protocol !== undefined && protocol !== "https" && protocol !== "http") {
    throw invalidArgument(field, `has DefaultEndpointsProtocol=${protocol}; use https`);
  }
  if (protocol === "http" && !blobEndpoint && !allowHttp) {
    throw invalidArgument(field, "uses DefaultEndpointsProtocol=http; use https");
  }
  // What Azure defaults and the SDK requires spelled out.
  const suffix = entries.get("EndpointSuffix") ?? "core.windows.net";
  if (entries.has("AccountKey")) {
    if (protocol === undefined) {
      entries.set(
        "DefaultEndpointsProtocol",
        blobEndpoint ? blobEndpoint.protocol.slice(0, -1) : "https",
      );
    }
    if (!blobEndpoint) entries.set("EndpointSuffix", suffix);
  } else if (!blobEndpoint) {
    entries.set("BlobEndpoint", `${protocol ?? "https"}://${accountName}.blob.${suffix}`);
  }
  return {
    canonical: [...entries].map(([key, value]) => `${key}=${value}`).join(";"),
    developmentStorage: false,
    ...(accountName ? { accountName } : {}),
    hasAccountKey: entries.has("AccountKey"),
    ...(sas ? { sas } : {}),
    ...(blobEndpoint ? { blobEndpoint } : {}),
  };
}

/** Host names whose URLs carry the account in their path, as the SDK decides (`isIpEndpointStyle`). */
function isPathStyle(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return (
    host.includes(":") ||
    /^(localhost|host\.docker\.internal)$/.test(host) ||
    /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ||
    // The emulator ports the SDK also treats as path style, whatever the host.
    /^100(0\d|1[0-2])$/.test(url.port)
  );
}

/** An account URL split from the container (and blob) a longer URL names. */
export interface ResourceUrl {
  /** The account's URL: origin, plus the account segment for path-style (emulator) URLs. */
  account: URL;
  /** The container the URL names, if any. */
  container?: string;
  /** The blob (or directory) path the URL names within the container, if any. */
  blob?: string;
}

/**
 * Splits a URL that may go beyond the account (`https://acct.blob.core.windows.net/reports` or
 * `http://127.0.0.1:10000/devstoreaccount1/reports/a.csv`) into the account and the resource.
 */
export function splitResourceUrl(url: URL): ResourceUrl {
  const segments = url.pathname.split("/").filter((segment) => segment !== "");
  const accountSegments = isPathStyle(url) ? 1 : 0;
  const account = new URL(url.origin);
  if (accountSegments === 1 && segments[0]) account.pathname = `/${segments[0]}`;
  const [container, ...blob] = segments.slice(accountSegments);
  return {
    account,
    ...(container ? { container: decodeURIComponent(container) } : {}),
    ...(blob.length > 0 ? { blob: blob.map(decodeURIComponent).join("/") } : {}),
  };
}
