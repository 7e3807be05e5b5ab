// diagnoseConnection(): one request that tells whether an endpoint and credential work, and if
// not, why, as data rather than a stack trace. It answers fast (one try, its own deadline) and
// checks a SAS with a request its scope allows.
import type { BlobServiceClient, ContainerClient } from "@azure/storage-blob";
import { credentialKindOf } from "./internal/explain.js";
import { withSingleTry } from "./internal/retryPipelinePolicy.js";
import { type AccountInfo, planCheck } from "./internal/sasCheck.js";
import { abortedError, throwIfAborted } from "./kit/abort.js";
import { describeOperation } from "./kit/describe.js";
import { withHint } from "./kit/errors.js";
import { checkInteger, checkOptionsObject } from "./kit/options.js";
import { StorageError } from "./StorageError.js";
import { toStorageError } from "./toStorageError.js";
import type { CredentialKind, SasReach } from "./types.js";

/** Options for {@link diagnoseConnection}. */
export interface DiagnoseConnectionOptions {
  /**
   * Cancels the check. It then throws a {@link StorageError} whose code is `"Aborted"`: a check
   * you cancelled has nothing to report.
   */
  signal?: AbortSignal;
  /**
   * The longest the check may take, signing in included. When it passes, the diagnosis reports
   * a `"Timeout"`. The check makes one try whatever the client's retry options, so an endpoint
   * that refuses connections is reported at once.
   * @defaultValue 10000
   */
  timeoutMs?: number;
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
  /** For a SAS: what it can reach (the account, or the one container or blob it was made for). */
  sas?: SasReach;
  /** What went wrong, with an actionable message. */
  error?: StorageError;
  /** One sentence for a person: what works, or what to do. */
  summary: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Service codes of a SAS whose signature was accepted but whose scope forbids the check itself. */
const ACCEPTED_BUT_NOT_ALLOWED = new Set([
  "AuthorizationPermissionMismatch",
  "AuthorizationResourceTypeMismatch",
]);

function accountFacts(info: AccountInfo): NonNullable<ConnectionDiagnosis["account"]> {
  return {
    ...(info.skuName ? { skuName: info.skuName } : {}),
    ...(info.accountKind ? { accountKind: info.accountKind } : {}),
    ...(info.isHierarchicalNamespaceEnabled !== undefined
      ? { hierarchicalNamespace: info.isHierarchicalNamespaceEnabled }
      : {}),
  };
}

/** "container 'reports' with permissions 'rl' until 2025-01-01T00:00:00.000Z" */
function describeReach(sas: SasReach): string {
  const what =
    sas.resource === "account"
      ? `the whole account${sas.resourceTypes ? ` (resource types '${sas.resourceTypes}')` : ""}`
      : sas.resource === "container"
        ? `container '${sas.container}'`
        : `${sas.resource} '${sas.container}/${sas.blob}'`;
  return `${what}${sas.permissions ? ` with permissions '${sas.permissions}'` : ""}${sas.expiresOn ? ` until ${sas.expiresOn.toISOString()}` : ""}`;
}

/**
 * Checks that the account is reachable and the credential works, with one request, and returns a
 * diagnosis instead of throwing. The request is `Get Account Information`; for a SAS made for one
 * container or blob (`sr=c`, `sr=b`), it is sent to that container or blob, which the token's
 * scope allows: pass the container's client, or connect with the container's URL (see
 * `SasConnectOptions`). The check makes one try within {@link DiagnoseConnectionOptions.timeoutMs},
 * whatever the client's retry options. Only a cancelled check throws (code `"Aborted"`).
 *
 * @see [Get started: Check a connection](../../../apps/docs/guides/get-started.md#check-a-connection)
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
  const { signal, timeoutMs: requested } = checkOptionsObject(options);
  const url = new URL(client.url);
  const endpoint = `${url.origin}${url.pathname}`.replace(/\/$/, "");
  const label = { operation: "check connection", resource: endpoint };
  throwIfAborted(signal, label);
  const timeoutMs = checkInteger(
    "timeoutMs",
    requested,
    { min: 1, max: 600_000, unit: "milliseconds" },
    DEFAULT_TIMEOUT_MS,
  );
  const credential = credentialKindOf(client);
  const plan = planCheck(client, credential);
  const base = { endpoint, credential, ...(plan.sas ? { sas: plan.sas } : {}) };
  if (plan.error) {
    return { ok: false, ...base, latencyMs: 0, error: plan.error, summary: plan.error.message };
  }
  const context = {
    operation: "check connection",
    resource: plan.resource ?? endpoint,
    client,
    access: "read" as const,
  };
  const deadline = AbortSignal.timeout(timeoutMs);
  const abortSignal = withSingleTry(signal ? AbortSignal.any([signal, deadline]) : deadline);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const reach = plan.sas ? ` The SAS reaches ${describeReach(plan.sas)}.` : "";
  try {
    const info = await plan.probe({ abortSignal });
    const latencyMs = elapsed();
    return {
      ok: true,
      ...base,
      latencyMs,
      account: accountFacts(info),
      summary: `Connected to ${endpoint} with ${credential} in ${latencyMs} ms.${reach}`,
    };
  } catch (caught) {
    const latencyMs = elapsed();
    if (signal?.aborted) throw abortedError(context);
    let error =
      deadline.aborted && (caught as { name?: unknown } | undefined)?.name === "AbortError"
        ? new StorageError(
            "Timeout",
            `${describeOperation(context)} got no answer within ${timeoutMs} ms (the check's timeoutMs, signing in included). The endpoint may be unreachable or drop packets silently (a firewall), or the sign-in may hang; check the URL and network, or raise timeoutMs for a slow link.`,
            { operation: context.operation, tries: 1 },
          )
        : toStorageError(caught, context);
    if (
      credential === "sas" &&
      error.serviceCode &&
      ACCEPTED_BUT_NOT_ALLOWED.has(error.serviceCode)
    ) {
      // The signature was checked before the permission: the token is genuine and valid now, it
      // only may not read account information.
      return {
        ok: true,
        ...base,
        latencyMs,
        summary: `Connected to ${endpoint} with sas in ${latencyMs} ms.${reach} Its permissions do not allow reading account information (${error.serviceCode}), so no account facts were read.`,
      };
    }
    if (error.code === "AuthenticationFailed" && plan.sas?.container) {
      error = withHint(
        error,
        `A container or blob SAS is checked against ${plan.resource}: if it was made for another one, give that one.`,
      );
    }
    return { ok: false, ...base, latencyMs, error, summary: error.message };
  }
}
