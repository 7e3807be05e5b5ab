// explainSas(): a SAS in plain words, for reviews, support tickets and logs; never the signature.
import { formatDuration } from "./internal/validity.js";
import { type ParseSasOptions, parseSas } from "./parseSas.js";
import type { SasDescription } from "./SasDescription.js";

/**
 * Options for {@link explainSas}. `now` applies when a SAS string is given; a
 * {@link SasDescription} keeps the time it was parsed at (`checkedAt`).
 */
export interface ExplainSasOptions extends ParseSasOptions {}

const KIND: Record<SasDescription["kind"], string> = {
  "user-delegation": "User delegation SAS",
  service: "Service SAS",
  account: "Account SAS",
};

function subject(d: SasDescription): string {
  const where = d.location;
  const account = where?.accountName ? ` of account '${where.accountName}'` : "";
  const container = where?.container ? ` in container '${where.container}'` : "";
  switch (d.resource) {
    case "account":
      return `the blob service${account}${d.services && d.services.length > 1 ? ` (services: ${d.services.join(", ")})` : ""}, resource types: ${(d.resourceTypes ?? []).join(", ") || "none"}`;
    case "container":
      return where?.container
        ? `container '${where.container}'${account}`
        : `a container${account}`;
    case "directory":
      return `${where?.blob ? `directory '${where.blob}/'` : `a directory${d.directoryDepth !== undefined ? ` of depth ${d.directoryDepth}` : ""}`}${container}${account}`;
    case "blob-snapshot":
      return `a snapshot of ${where?.blob ? `blob '${where.blob}'` : "a blob"}${container}${account}`;
    case "blob-version":
      return `a version of ${where?.blob ? `blob '${where.blob}'` : "a blob"}${container}${account}`;
    default:
      return `${where?.blob ? `blob '${where.blob}'` : "a blob"}${container}${account}`;
  }
}

/**
 * Explains a SAS in readable text: what it is for, its permissions in words, when it is valid and
 * how long it has left, protocol, IP range, who signed it, and review warnings (expired,
 * long-lived, signed with the account key, HTTP allowed, broad permissions, no IP restriction...).
 * Accepts a SAS URL or token, or the result of {@link parseSas}. The output never contains the
 * signature, so it is safe to paste in a ticket or a log.
 *
 * @see [Inspect and review a SAS: Explain a SAS in words](../../../apps/docs/guides/inspect-sas.md#explain-a-sas-in-words)
 *
 * @example
 * ```ts
 * import { explainSas } from "@blobkit/sas";
 *
 * declare const url: string;
 * console.log(explainSas(url));
 * // User delegation SAS for blob 'q1.pdf' in container 'reports' of account 'myaccount'.
 * // Permissions: read (r).
 * // Valid: 2024-05-01T11:45:00.000Z to 2024-05-01T13:00:00.000Z (1 hour 15 minutes); expires in 59 minutes.
 * // ...
 * ```
 */
export function explainSas(sas: string | SasDescription, options: ExplainSasOptions = {}): string {
  const d = typeof sas === "string" ? parseSas(sas, options) : sas;
  const now = d.checkedAt;
  const lines: string[] = [];
  lines.push(`${KIND[d.kind]} for ${subject(d)}.`);
  const permissionWords = d.permissions.names.join(", ");
  lines.push(
    d.permissions.letters
      ? `Permissions: ${permissionWords}${permissionWords ? " " : ""}(${d.permissions.letters})${d.permissions.unknown.length ? `; unknown letters: ${d.permissions.unknown.join("")}` : ""}.`
      : d.storedPolicyId
        ? `Permissions: defined by stored access policy '${d.storedPolicyId}'.`
        : "Permissions: none.",
  );
  const start = d.startsOn ? d.startsOn.toISOString() : "when signed";
  if (d.expiresOn) {
    const span = d.startsOn
      ? ` (${formatDuration(d.expiresOn.getTime() - d.startsOn.getTime())})`
      : "";
    const left = d.expired
      ? `expired ${formatDuration(now.getTime() - d.expiresOn.getTime())} ago`
      : `expires in ${formatDuration(d.expiresOn.getTime() - now.getTime())}`;
    lines.push(`Valid: ${start} to ${d.expiresOn.toISOString()}${span}; ${left}.`);
  } else {
    lines.push(
      `Valid: from ${start}; the expiry comes from ${d.storedPolicyId ? `stored access policy '${d.storedPolicyId}'` : "nowhere (Azure refuses such a SAS)"}.`,
    );
  }
  lines.push(`Protocol: ${d.httpsOnly ? "HTTPS only" : "HTTPS and HTTP"}.`);
  lines.push(
    `IP addresses: ${d.ipRange ? (d.ipRange.end ? `${d.ipRange.start} to ${d.ipRange.end}` : d.ipRange.start) : "any"}.`,
  );
  const identity = d.signedIdentity;
  if (identity) {
    lines.push(
      `Signed by: Microsoft Entra ID object ${identity.objectId}${identity.tenantId ? ` in tenant ${identity.tenantId}` : ""}, with a user delegation key valid ${identity.keyStartsOn ? `from ${identity.keyStartsOn.toISOString()} ` : ""}until ${identity.keyExpiresOn ? identity.keyExpiresOn.toISOString() : "(unknown)"}.`,
    );
    if (identity.delegatedUserObjectId) {
      lines.push(`Usable only by: Microsoft Entra ID object ${identity.delegatedUserObjectId}.`);
    }
  } else {
    lines.push(
      `Signed by: the account key${d.storedPolicyId ? `, bound to stored access policy '${d.storedPolicyId}'` : ""}.`,
    );
  }
  if (d.responseHeaders) {
    lines.push(
      `Response headers set: ${Object.entries(d.responseHeaders)
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
        .join(", ")}.`,
    );
  }
  if (d.unrecognizedParameters.length > 0) {
    lines.push(`Other query parameters: ${d.unrecognizedParameters.join(", ")}.`);
  }
  if (d.warnings.length === 0) {
    lines.push("Warnings: none.");
  } else {
    lines.push("Warnings:");
    for (const warning of d.warnings) {
      lines.push(`  - [${warning.severity}] ${warning.code}: ${warning.message}`);
    }
  }
  return lines.join("\n");
}
