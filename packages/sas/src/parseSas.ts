// parseSas(): reads a SAS URL or token into a typed description (kind, resource, permissions in
// words, validity, protocol, IP range, signed identity, stored policy) with review warnings. The
// signature is never read into the result. Reading the fields is internal/sasQuery.ts; the
// warnings are internal/review.ts.
import { checkClock } from "./internal/clock.js";
import { describePermissions } from "./internal/permissions.js";
import { reviewSas } from "./internal/review.js";
import { locateSas } from "./internal/sasLocation.js";
import {
  dateField,
  depthField,
  ipRangeField,
  letterListField,
  optionalField,
  protocolField,
  RESOURCE_TYPES,
  resourceField,
  responseHeadersField,
  SERVICES,
  signedIdentityField,
  splitSas,
  unrecognizedParameters,
  versionField,
} from "./internal/sasQuery.js";
import type { SasDescription } from "./SasDescription.js";

/** Options for {@link parseSas}. */
export interface ParseSasOptions {
  /**
   * The clock for "time left" and the warnings.
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
}

/**
 * Reads a SAS URL or token into a typed description: its kind (user delegation, service or
 * account), the resource, the permissions in words, start, expiry and time left, protocol, IP
 * range, the signed identity of a user delegation SAS, and the stored access policy, plus review
 * warnings (expired, long-lived, signed with the account key, HTTP allowed, broad permissions, no
 * IP restriction...). The signature is never read into the result, and errors never quote the
 * input, so both are safe to log. Use {@link explainSas} for the same as readable text.
 *
 * @see [Inspect and review a SAS: Read a SAS as data](../../../apps/docs/guides/inspect-sas.md#read-a-sas-as-data)
 *
 * @example
 * ```ts
 * import { parseSas } from "@blobkit/sas";
 *
 * const sas = parseSas("https://myaccount.blob.core.windows.net/reports/q1.pdf?sv=...&sig=...");
 * sas.kind;                 // "user-delegation"
 * sas.permissions.names;    // ["read"]
 * sas.expiresInMs;          // 3_540_000
 * sas.warnings.map((w) => w.code); // ["no-ip-restriction"]
 * ```
 */
export function parseSas(sas: string, options: ParseSasOptions = {}): SasDescription {
  const { query, url } = splitSas(sas);
  const version = versionField(query);
  // The order of the checks decides which problem is reported for input with several: keep it.
  const account = query.has("ss") || query.has("srt");
  const resource = account ? "account" : resourceField(query);
  const kind = account ? "account" : query.has("skoid") ? "user-delegation" : "service";
  const permissions = describePermissions(query.get("sp") ?? "", account);
  const protocol = protocolField(query);
  const startsOn = dateField(query, "st");
  const expiresOn = dateField(query, "se");
  const now = checkClock(options.now)();
  const responseHeaders = responseHeadersField(query);
  const directoryDepth = depthField(query);
  const description: Omit<SasDescription, "warnings"> = {
    kind,
    resource,
    version,
    permissions,
    startsOn,
    expiresOn,
    expiresInMs: expiresOn ? expiresOn.getTime() - now.getTime() : undefined,
    expired: expiresOn ? expiresOn.getTime() <= now.getTime() : false,
    protocol,
    httpsOnly: protocol === "https",
    ipRange: ipRangeField(query),
    storedPolicyId: optionalField(query, "si"),
    signedIdentity: signedIdentityField(query),
    services: letterListField(query, "ss", SERVICES),
    resourceTypes: letterListField(query, "srt", RESOURCE_TYPES),
    directoryDepth,
    encryptionScope: optionalField(query, "ses"),
    responseHeaders,
    location: url ? locateSas(url) : undefined,
    unrecognizedParameters: unrecognizedParameters(query),
    checkedAt: now,
  };
  return { ...description, warnings: reviewSas(description, now) };
}
