// Which request checks a client's credential. Get Account Information on the account needs an
// account-wide credential; a service SAS made for one container or blob (sr=c, sr=b) is refused
// there ("signature does not match", as its signature covers that container or blob only), but
// accepted on its own container's or blob's URL, which this sends the same request to.
import type { BlobServiceClient, ContainerClient } from "@azure/storage-blob";
import { invalidArgument, type StorageError } from "../StorageError.js";
import type { CredentialKind, SasReach } from "../types.js";
import { parseSasToken } from "./endpoints.js";
import { sasTargetOf } from "./sasTarget.js";

/** What Get Account Information answers, on any of the SDK's clients. */
export interface AccountInfo {
  skuName?: string;
  accountKind?: string;
  isHierarchicalNamespaceEnabled?: boolean;
}

/** How to check one client: the request, what it is sent to, and what the SAS can reach. */
export interface CheckPlan {
  probe: (options: { abortSignal: AbortSignal }) => Promise<AccountInfo>;
  /** What the request is sent to, when not the client's own URL: `container 'reports'`. */
  resource?: string;
  sas?: SasReach;
  /** Why the check cannot be made (no request is sent). */
  error?: StorageError;
}

function isContainerClient(client: BlobServiceClient | ContainerClient): client is ContainerClient {
  return "containerName" in client && typeof client.getBlobClient === "function";
}

const RESOURCES: Readonly<Record<string, SasReach["resource"]>> = {
  c: "container",
  b: "blob",
  bs: "blob",
  bv: "blob",
  d: "directory",
};

/** Plans the check of a client, reading its SAS (if any) for the scope it was made for. */
export function planCheck(
  client: BlobServiceClient | ContainerClient,
  credential: CredentialKind,
): CheckPlan {
  const whole: CheckPlan = { probe: (options) => client.getAccountInfo(options) };
  if (credential !== "sas") return whole;
  let token: ReturnType<typeof parseSasToken>;
  try {
    token = parseSasToken(new URL(client.url).search);
  } catch {
    // Not a token BlobKit can read: check it as an account-wide one and let the service say.
    return whole;
  }
  const common = {
    ...(token.permissions ? { permissions: token.permissions } : {}),
    ...(token.expiresOn ? { expiresOn: token.expiresOn } : {}),
  };
  const resource = token.resource ? RESOURCES[token.resource] : "account";
  if (resource === undefined || resource === "account") {
    return {
      ...whole,
      sas: {
        resource: "account",
        ...common,
        ...(token.resourceTypes ? { resourceTypes: token.resourceTypes } : {}),
      },
    };
  }
  const target = isContainerClient(client)
    ? {
        container: client.containerName,
        ...(sasTargetOf(client)?.container === client.containerName
          ? { blob: sasTargetOf(client)?.blob }
          : {}),
      }
    : sasTargetOf(client);
  const container = target?.container;
  const blob = target?.blob;
  const example =
    "e.g. connect({ method: 'sas', accountUrl: 'https://myaccount.blob.core.windows.net/reports', sasToken })";
  if (container === undefined) {
    return {
      ...whole,
      sas: { resource, ...common },
      error: invalidArgument(
        "container",
        `the SAS token was made for one ${resource} (sr=${token.resource}) and the client does not say which, so no request could check it. Give its container as the URL's path or the container option, ${example}, or check the container's client: diagnoseConnection(service.getContainerClient('reports'))`,
      ),
    };
  }
  const containerClient = isContainerClient(client) ? client : client.getContainerClient(container);
  if (resource === "container") {
    return {
      probe: (options) => containerClient.getAccountInfo(options),
      resource: `container '${container}'`,
      sas: { resource, container, ...common },
    };
  }
  if (blob === undefined) {
    return {
      ...whole,
      sas: { resource, container, ...common },
      error: invalidArgument(
        "accountUrl",
        `the SAS token was made for one ${resource} (sr=${token.resource}) and the client does not say which, so no request could check it. Connect with its URL as accountUrl, e.g. 'https://myaccount.blob.core.windows.net/reports/q1.csv'`,
      ),
    };
  }
  const blobClient = containerClient.getBlobClient(blob);
  return {
    probe: (options) => blobClient.getAccountInfo(options),
    resource: `${resource} '${container}/${blob}'`,
    sas: { resource, container, blob, ...common },
  };
}
