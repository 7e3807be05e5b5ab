// diagnoseConnection(): one request that tells whether an endpoint and credential work, and if
// not, why, as data rather than a stack trace.
import type { BlobServiceClient, ContainerClient } from "@azure/storage-blob";
import { credentialKindOf } from "./internal/explain.js";
import type { StorageError } from "./StorageError.js";
import { toStorageError } from "./toStorageError.js";
import type { CredentialKind } from "./types.js";

/** Options for {@link diagnoseConnection}. */
export interface DiagnoseConnectionOptions {
  /** Cancels the check. */
  signal?: AbortSignal;
}

/** The result of {@link diagnoseConnection}. */
export interface ConnectionDiagnosis {
  /** Whether the endpoint answered and accepted the credential. */
  ok: boolean;
  /** The endpoint checked (origin and path, never a SAS). */
  endpoint: string;
  /** How the client authenticates. */
  credential: CredentialKind;
  /** Round-trip time of the check, in milliseconds. */
  latencyMs: number;
  /** Account facts, when the credential may read them. */
  account?: { skuName?: string; accountKind?: string; hierarchicalNamespace?: boolean };
  /** What went wrong, with an actionable message. */
  error?: StorageError;
  /** One sentence for a person: what works, or what to do. */
  summary: string;
}

/**
 * Checks that the account is reachable and the credential works, with one `Get Account
 * Information` request, and returns a diagnosis instead of throwing.
 *
 * @example
 * ```ts
 * import { diagnoseConnection } from "@blobkit/auth";
 *
 * const diagnosis = await diagnoseConnection(service);
 * if (!diagnosis.ok) console.error(diagnosis.summary);
 * ```
 */
export async function diagnoseConnection(
  client: BlobServiceClient | ContainerClient,
  options: DiagnoseConnectionOptions = {},
): Promise<ConnectionDiagnosis> {
  const url = new URL(client.url);
  const endpoint = `${url.origin}${url.pathname}`.replace(/\/$/, "");
  const credential = credentialKindOf(client);
  const started = performance.now();
  try {
    const info = await client.getAccountInfo(options.signal ? { abortSignal: options.signal } : {});
    const latencyMs = Math.round(performance.now() - started);
    return {
      ok: true,
      endpoint,
      credential,
      latencyMs,
      account: {
        ...(info.skuName ? { skuName: info.skuName } : {}),
        ...(info.accountKind ? { accountKind: info.accountKind } : {}),
        ...(info.isHierarchicalNamespaceEnabled !== undefined
          ? { hierarchicalNamespace: info.isHierarchicalNamespaceEnabled }
          : {}),
      },
      summary: `Connected to ${endpoint} with ${credential} in ${latencyMs} ms.`,
    };
  } catch (caught) {
    const error = toStorageError(caught, {
      operation: "check connection",
      resource: endpoint,
      client,
      access: "read",
    });
    return {
      ok: false,
      endpoint,
      credential,
      latencyMs: Math.round(performance.now() - started),
      error,
      summary: error.message,
    };
  }
}
