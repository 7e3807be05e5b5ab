/**
 * Create a service or account SAS: SAS signed with the account key, for one blob or container
 * (optionally revocable through a stored access policy) or for the whole account.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/service-account-sas.test.ts`.
 */
import { BlobClient, type BlobServiceClient, ContainerClient } from "@azure/storage-blob";
// #region imports
import { connect, isStorageError } from "@blobkit/auth";
import { runOperation } from "@blobkit/auth/kit";
import { createAccountSas, createServiceSas } from "@blobkit/sas";
// #endregion imports
import type { AzuriteConnection } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Create a service or account SAS", order: 51 };

// #region connect
/** Service and account SAS are signed with the account key: connect with it. */
export async function connectWithKey(accountName: string, accountKey: string, accountUrl?: string) {
  return connect({
    method: "accountKey",
    accountName,
    accountKey,
    ...(accountUrl ? { accountUrl } : {}),
  });
}
// #endregion connect

// #region service-sas
/** A read-only link to one blob for 10 minutes. No request is made to create it. */
export function createReadLink(service: BlobServiceClient, container: string, blob: string) {
  const sas = createServiceSas(
    service,
    { container, blob },
    { permissions: "r", expiresOn: new Date(Date.now() + 10 * 60_000) },
  );
  return sas.url;
}
// #endregion service-sas

// #region stored-policy
/**
 * A revocable upload grant: the permissions and expiry live in a stored access policy on the
 * container, and the SAS only names the policy. A container holds at most 5 policies.
 */
export async function createRevocableUploadSas(
  service: BlobServiceClient,
  container: string,
  policyId: string,
) {
  const client = service.getContainerClient(container);
  const current = await client.getAccessPolicy();
  await client.setAccessPolicy(current.blobPublicAccess, [
    ...current.signedIdentifiers.filter((identifier) => identifier.id !== policyId),
    {
      id: policyId,
      accessPolicy: {
        permissions: "cw",
        startsOn: new Date(Date.now() - 15 * 60_000),
        expiresOn: new Date(Date.now() + 24 * 3_600_000),
      },
    },
  ]);
  return createServiceSas(service, { container }, { storedPolicyId: policyId }).url;
}

/** Revoke every SAS bound to the policy by removing it (Azure applies it within 30 seconds). */
export async function revokeStoredPolicy(
  service: BlobServiceClient,
  container: string,
  policyId: string,
) {
  const client = service.getContainerClient(container);
  const current = await client.getAccessPolicy();
  await client.setAccessPolicy(
    current.blobPublicAccess,
    current.signedIdentifiers.filter((identifier) => identifier.id !== policyId),
  );
}
// #endregion stored-policy

// #region account-sas
/** An account SAS for a tool that lists and reads every container, for one hour. */
export function createReadOnlyAccountSas(service: BlobServiceClient) {
  const sas = createAccountSas(service, {
    permissions: ["read", "list"],
    resourceTypes: ["service", "container", "object"],
  });
  return sas.token; // e.g. for connect({ method: "sas", accountUrl, sasToken })
}
// #endregion account-sas

// #region long-lived
/** More than 7 days is refused unless you opt in; prefer a stored access policy you can revoke. */
export function createMonthLongLink(service: BlobServiceClient, container: string, blob: string) {
  return createServiceSas(
    service,
    { container, blob },
    {
      permissions: "r",
      expiresOn: new Date(Date.now() + 30 * 24 * 3_600_000),
      allowLongLived: true,
    },
  );
}
// #endregion long-lived

/** Runs the guide against the embedded emulator with its account key. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connectWithKey(
    env.azurite.accountName,
    env.azurite.accountKey,
    env.azurite.blobEndpoint,
  );
  const name = `svc-sample-${Date.now().toString(36)}`;
  const container = service.getContainerClient(name);
  await container.create();
  try {
    await container.uploadBlockBlob("notes.txt", "hello", 5);
    const read = await new BlobClient(
      createReadLink(service, name, "notes.txt"),
    ).downloadToBuffer();

    const uploadUrl = await createRevocableUploadSas(service, name, "uploaders");
    const uploader = new ContainerClient(uploadUrl, undefined, { retryOptions: { maxTries: 1 } });
    await uploader.uploadBlockBlob("incoming/1.txt", "first", 5);
    await revokeStoredPolicy(service, name, "uploaders");
    let afterRevoke = "accepted";
    try {
      await runOperation({ operation: "upload blob", client: uploader, access: "write" }, () =>
        uploader.uploadBlockBlob("incoming/2.txt", "second", 6),
      );
    } catch (error) {
      if (!isStorageError(error) || error.statusCode !== 403) throw error;
      afterRevoke = error.code;
    }

    const tool = await connect({
      method: "sas",
      accountUrl: env.azurite.blobEndpoint,
      sasToken: createReadOnlyAccountSas(service),
    });
    const containers: string[] = [];
    for await (const item of tool.listContainers({ prefix: name })) containers.push(item.name);

    return {
      read: read.toString("utf8"),
      afterRevoke,
      containers,
      monthLong: createMonthLongLink(service, name, "notes.txt"),
    };
  } finally {
    await container.delete();
  }
}
