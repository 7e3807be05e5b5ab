// How the service will read a copy's source. A copy reads the source through its URL, so the URL
// must carry a SAS (the caller's, the URL's own, or a short-lived read SAS BlobKit creates for an
// account-key source), or, for a synchronous copy with Microsoft Entra ID, the request carries the
// source client's token. Only an asynchronous copy within one account needs none of these.
import {
  AnonymousCredential,
  BlobClient,
  type BlobGetPropertiesResponse,
  BlobSASPermissions,
} from "@azure/storage-blob";
import type { StorageError } from "@blobkit/auth";
import { credentialKindOf, invalidArgument } from "@blobkit/auth/kit";
import type { SourceAuthorization } from "../../types.js";
import { type CopyContexts, runCopy, sourceUnreadable } from "./errors.js";
import type { CopyPlan } from "./plan.js";

/** The part of a token credential a synchronous copy uses to authorize its source. */
export interface TokenSource {
  getToken(
    scopes: string,
    options?: { abortSignal?: AbortSignal },
  ): Promise<{ token: string } | null>;
}

/** The source's URL as the copy request will send it, and the token that goes with it. */
export interface SourceAccess {
  url: string;
  /** The caller's SAS, when `sourceAuthorization` gave one. */
  explicitSas: string | undefined;
  /** A token credential whose token authorizes the read (synchronous copies only). */
  bearer: TokenSource | undefined;
}

/** A SAS token from the option, checked and without its leading "?". */
async function sasFrom(auth: SourceAuthorization, source: BlobClient | string): Promise<string> {
  const token = typeof auth === "function" ? await auth(source) : auth;
  if (typeof token !== "string" || !/(^|[?&])sig=/.test(token)) {
    throw invalidArgument(
      "sourceAuthorization",
      "must be a SAS token (a query string with a sig= signature)",
    );
  }
  return token.replace(/^\?/, "");
}

function withSas(url: string, sas: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}${sas}`;
}

/** Identifies a storage account in a URL: its origin, plus the first path segment for path-style (emulator) URLs. */
function accountOf(url: string): string {
  const parsed = new URL(url);
  const pathStyle = /^[\d.]+$|^\[|^localhost$/.test(parsed.hostname);
  return pathStyle ? `${parsed.origin}/${parsed.pathname.split("/")[1] ?? ""}` : parsed.origin;
}

/** The source's URL with the caller's `sourceAuthorization`, if any: what the probe reads. */
export async function callerAccess(
  source: BlobClient | string,
  plan: CopyPlan,
): Promise<SourceAccess> {
  const url = typeof source === "string" ? source : source.url;
  const explicitSas = plan.sourceAuthorization
    ? await sasFrom(plan.sourceAuthorization, source)
    : undefined;
  return { url: explicitSas ? withSas(url, explicitSas) : url, explicitSas, bearer: undefined };
}

/**
 * What the source is (size, type, tier), which decides the mechanism; fails early if it is
 * missing. A URL source is probed anonymously (with its SAS) only when the mode is "auto".
 */
export async function probeSource(
  source: BlobClient | string,
  access: SourceAccess,
  plan: CopyPlan,
  contexts: CopyContexts,
): Promise<BlobGetPropertiesResponse | undefined> {
  if (typeof source !== "string") {
    return runCopy(contexts.readContext, () => source.getProperties(plan.sdk));
  }
  if (plan.mode !== "auto") return undefined;
  const probe = new BlobClient(access.url, new AnonymousCredential());
  return runCopy(contexts.readContext, () => probe.getProperties(plan.sdk)).catch(
    (error: StorageError) => {
      if (error.statusCode === 401 || error.statusCode === 403 || error.statusCode === 404) {
        throw sourceUnreadable(error, contexts.context);
      }
      throw error;
    },
  );
}

/**
 * Completes `access` for the chosen mechanism: an asynchronous copy within one account is
 * authorized by the destination request itself; every other copy of a client source without a
 * SAS gets a read SAS (account key) or the client's token (Entra ID, synchronous copies).
 */
export async function authorizeSource(
  source: BlobClient | string,
  destination: BlobClient,
  access: SourceAccess,
  mechanism: "sync" | "async",
  plan: CopyPlan,
  contexts: CopyContexts,
): Promise<SourceAccess> {
  if (typeof source === "string" || access.explicitSas) return access;
  const sameAccount = accountOf(source.url) === accountOf(destination.url);
  const needsUrlAuthorization = mechanism === "sync" || !sameAccount;
  if (!needsUrlAuthorization || /[?&]sig=/.test(source.url)) return access;
  const kind = credentialKindOf(source);
  if (kind === "accountKey") {
    const lifetime = plan.sasLifetime ?? (mechanism === "sync" ? 15 * 60_000 : 24 * 3_600_000);
    const url = await runCopy(contexts.readContext, () =>
      source.generateSasUrl({
        permissions: BlobSASPermissions.parse("r"),
        expiresOn: new Date(Date.now() + lifetime),
      }),
    );
    return { ...access, url };
  }
  if (kind === "entra" && mechanism === "sync") {
    return { ...access, bearer: source.credential as TokenSource };
  }
  return access;
}
