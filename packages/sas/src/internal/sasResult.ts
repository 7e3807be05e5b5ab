// The SasResult of a signed SAS: the token, the resource URL with it, and what it grants as
// written in the token.
import type { SASQueryParameters } from "@azure/storage-blob";
import type { SasKind, SasResult } from "../types.js";
import type { ResolvedCommonOptions } from "./commonOptions.js";

/** Appends a token to a URL that has no query. */
function withToken(url: string, token: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}${token}`;
}

/**
 * The result of a SAS signed for `resourceUrl`. `permissions` are the checked letters, reported
 * when the SDK's query does not echo them (empty when a stored access policy defines them).
 */
export function sasResult(
  kind: SasKind,
  resourceUrl: string,
  query: SASQueryParameters,
  common: ResolvedCommonOptions,
  permissions: string | undefined,
): SasResult {
  const token = query.toString();
  return {
    token,
    url: withToken(resourceUrl, token),
    kind,
    permissions: query.permissions ?? permissions ?? "",
    startsOn: common.startsOn,
    expiresOn: common.expiresOn,
    protocol: common.protocol,
  };
}
