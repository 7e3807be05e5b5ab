// Reads the fields of a SAS query: splits the input into URL and query, and checks each field's
// syntax. Errors name the field but never quote the input, which holds the signature.
import { invalidArgument } from "@blobkit/auth/kit";
import type { SasResourceKind, SasService, SasSignedIdentity } from "../SasDescription.js";
import type {
  AccountSasResourceType,
  SasIpRange,
  SasProtocol,
  SasResponseHeaders,
} from "../types.js";

/** The query parameters Azure defines for a SAS; any other is reported by name only. */
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

/** The letters of `ss`, the services of an account SAS. */
export const SERVICES: Record<string, SasService> = {
  b: "blob",
  f: "file",
  q: "queue",
  t: "table",
};

/** The letters of `srt`, the resource types of an account SAS. */
export const RESOURCE_TYPES: Record<string, AccountSasResourceType> = {
  s: "service",
  c: "container",
  o: "object",
};

const HEADER_KEYS = [
  ["rscc", "cacheControl"],
  ["rscd", "contentDisposition"],
  ["rsce", "contentEncoding"],
  ["rscl", "contentLanguage"],
  ["rsct", "contentType"],
] as const;

/** Throws the `InvalidArgument` of input that is not a readable SAS. */
export function unreadable(problem: string): never {
  throw invalidArgument("sas", problem);
}

/** Splits a SAS URL or token into its query and, for a URL, the URL. */
export function splitSas(input: string): { query: URLSearchParams; url: URL | undefined } {
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

/** A field's value; an empty one counts as absent. */
export function optionalField(query: URLSearchParams, key: string): string | undefined {
  const value = query.get(key);
  return value === null || value === "" ? undefined : value;
}

/** The signed version (`sv`); refuses a query without it or without a signature (`sig`). */
export function versionField(query: URLSearchParams): string {
  const version = optionalField(query, "sv");
  const missing = [
    ...(version === undefined ? ["'sv' (version)"] : []),
    ...(optionalField(query, "sig") === undefined ? ["'sig' (signature)"] : []),
  ];
  if (version === undefined || missing.length > 0) {
    unreadable(
      `is not a SAS: it lacks ${missing.join(" and ")}. A SAS looks like sv=...&se=...&sp=...&sig=...`,
    );
  }
  return version;
}

/** The signed resource (`sr`) of a service or user delegation SAS. */
export function resourceField(query: URLSearchParams): SasResourceKind {
  const sr = optionalField(query, "sr");
  if (sr === undefined) {
    unreadable("has neither 'sr' (service or user delegation SAS) nor 'ss'/'srt' (account SAS)");
  }
  const known = RESOURCES[sr];
  if (!known) unreadable(`has an unknown signed resource 'sr=${sr}'`);
  return known;
}

/** The allowed protocols (`spr`); absent means HTTPS and HTTP. */
export function protocolField(query: URLSearchParams): SasProtocol | undefined {
  const spr = optionalField(query, "spr");
  if (spr !== undefined && spr !== "https" && spr !== "https,http") {
    unreadable(`has an unknown protocol 'spr=${spr}'; Azure accepts https or https,http`);
  }
  return spr;
}

/** A time field (`st`, `se`, `skt`, `ske`). */
export function dateField(query: URLSearchParams, key: string): Date | undefined {
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

/** The response headers the SAS overrides (`rscc`, `rscd`, `rsce`, `rscl`, `rsct`). */
export function responseHeadersField(query: URLSearchParams): SasResponseHeaders | undefined {
  const headers: SasResponseHeaders = {};
  for (const [key, field] of HEADER_KEYS) {
    const value = optionalField(query, key);
    if (value !== undefined) headers[field] = value;
  }
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/** The depth of a directory SAS (`sdd`). */
export function depthField(query: URLSearchParams): number | undefined {
  const depth = optionalField(query, "sdd");
  if (depth !== undefined && !/^\d+$/.test(depth)) unreadable("has an unreadable 'sdd' depth");
  return depth === undefined ? undefined : Number(depth);
}

/** The IPv4 address or range (`sip`). */
export function ipRangeField(query: URLSearchParams): SasIpRange | undefined {
  const raw = optionalField(query, "sip");
  if (raw === undefined) return undefined;
  const [start, end, extra] = raw.split("-");
  if (!start || extra !== undefined) unreadable("has an unreadable 'sip' IP range");
  return end ? { start, end } : { start };
}

/** Who signed a user delegation SAS (`skoid` and the other delegation key fields). */
export function signedIdentityField(query: URLSearchParams): SasSignedIdentity | undefined {
  const objectId = optionalField(query, "skoid");
  if (!objectId) return undefined;
  return {
    objectId,
    tenantId: optionalField(query, "sktid"),
    keyStartsOn: dateField(query, "skt"),
    keyExpiresOn: dateField(query, "ske"),
    keyService: optionalField(query, "sks"),
    keyVersion: optionalField(query, "skv"),
    delegatedUserObjectId: optionalField(query, "sduoid"),
    delegatedUserTenantId: optionalField(query, "skdutid"),
    preauthorizedAgentObjectId: optionalField(query, "saoid"),
    correlationId: optionalField(query, "scid"),
  };
}

/** A field of letters, each looked up in `table` (`ss`, `srt`). */
export function letterListField<T>(
  query: URLSearchParams,
  key: string,
  table: Record<string, T>,
): T[] | undefined {
  const raw = optionalField(query, key);
  if (raw === undefined) return undefined;
  return [...raw].map((letter) => {
    const value = table[letter];
    if (value === undefined) unreadable(`has an unknown letter '${letter}' in '${key}'`);
    return value;
  });
}

/** Names of query parameters that are not SAS fields. */
export function unrecognizedParameters(query: URLSearchParams): string[] {
  return [...new Set(query.keys())].filter((key) => !KNOWN.has(key));
}
