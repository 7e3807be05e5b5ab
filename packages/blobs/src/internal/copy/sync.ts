// A synchronous copy (Copy Blob From URL): one request that returns when the copy is complete.
import type { BlobClient } from "@azure/storage-blob";
import { type CopyContexts, runCopy } from "./errors.js";
import { type CopyOutcome, type CopyPlan, copyRequestOptions } from "./plan.js";
import type { SourceAccess } from "./source.js";

/** Copies the source at `access` to `destination` in one request; `size` is the source's, if known. */
export async function syncCopy(
  destination: BlobClient,
  access: SourceAccess,
  size: number | undefined,
  plan: CopyPlan,
  contexts: CopyContexts,
): Promise<CopyOutcome> {
  const bearer = access.bearer;
  const token = bearer
    ? await runCopy(contexts.readContext, () =>
        bearer.getToken("https://storage.azure.com/.default", plan.sdk),
      )
    : undefined;
  const response = await runCopy(contexts.context, () =>
    destination.syncCopyFromURL(access.url, {
      ...copyRequestOptions(plan),
      ...(token ? { sourceAuthorization: { scheme: "Bearer", value: token.token } } : {}),
    }),
  );
  if (size !== undefined) plan.onProgress?.({ loaded: size, total: size });
  return {
    mechanism: "sync",
    status: "success",
    copyId: response.copyId,
    etag: response.etag,
    lastModified: response.lastModified,
    versionId: response.versionId,
    bytesCopied: size,
  };
}
