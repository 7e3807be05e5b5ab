/**
 * Manage container properties and metadata: read the properties, replace the metadata only if
 * nobody changed it meanwhile, update some entries safely, and set stored access policies.
 *
 * Run against the embedded emulator by `pnpm start`; tested by
 * `test/container-properties-metadata.test.ts`.
 */
import type { ContainerClient } from "@azure/storage-blob";
import { connect, isStorageError } from "@blobkit/auth";
// #region imports
import {
  createContainer,
  deleteContainer,
  getContainerAccessPolicy,
  getContainerProperties,
  setContainerAccessPolicy,
  setContainerMetadata,
  updateContainerMetadata,
} from "@blobkit/containers";
// #endregion imports
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Manage container properties and metadata", order: 13 };

// #region properties
/** Show what a container is: ETag, last change, lease, public access, legal flags, metadata. */
export async function describeContainer(container: ContainerClient) {
  const props = await getContainerProperties(container);
  console.log(
    `${props.name}: etag ${props.etag}, modified ${props.lastModified.toISOString()}, ` +
      `lease ${props.leaseState}, public access ${props.publicAccess}, ` +
      `legal hold ${props.hasLegalHold}, immutability policy ${props.hasImmutabilityPolicy}`,
  );
  return props;
}
// #endregion properties

// #region set-metadata
/** Replace the metadata, unless someone changed the container since we read it. */
export async function setOwner(container: ContainerClient, owner: string) {
  const { etag, metadata } = await getContainerProperties(container);
  try {
    return await setContainerMetadata(container, { ...metadata, owner }, { ifMatch: etag });
  } catch (error) {
    if (isStorageError(error, "PreconditionFailed")) {
      console.error("The container changed meanwhile; read it again before deciding.");
    }
    throw error;
  }
}
// #endregion set-metadata

// #region update-metadata
/** Add one entry and keep the others, even while other processes write metadata too. */
export async function markReviewed(container: ContainerClient, date: string) {
  const result = await updateContainerMetadata(container, (current) => ({
    ...current,
    reviewed: date,
  }));
  console.log(`Metadata now ${JSON.stringify(result.metadata)} after ${result.tries} try`);
  return result;
}
// #endregion update-metadata

// #region invalid-metadata
/** Metadata names must be C# identifiers: this fails before any request, naming the entry. */
export async function trySetInvalidMetadata(container: ContainerClient) {
  try {
    await setContainerMetadata(container, { "content-type": "text/csv" });
    return undefined;
  } catch (error) {
    if (isStorageError(error, "InvalidArgument"))
      return { field: error.field, message: error.message };
    throw error;
  }
}
// #endregion invalid-metadata

// #region access-policy
/**
 * A stored access policy that read-only SAS tokens can refer to: removing or changing it revokes
 * them all at once. Setting the access policy replaces all policies and the public access level.
 */
export async function addReadersPolicy(container: ContainerClient, expiresOn: Date) {
  const current = await getContainerAccessPolicy(container);
  await setContainerAccessPolicy(container, {
    publicAccess: current.publicAccess,
    policies: [
      ...current.policies.filter((policy) => policy.id !== "readers"),
      { id: "readers", permissions: "rl", expiresOn },
    ],
  });
  return getContainerAccessPolicy(container);
}
// #endregion access-policy

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-props");
  await createContainer(service, name, { metadata: { project: "apollo" } });
  const container = service.getContainerClient(name);
  try {
    const before = await describeContainer(container);
    const owner = await setOwner(container, "finance");
    const reviewed = await markReviewed(container, "2024-05-01");
    const invalid = await trySetInvalidMetadata(container);
    const policy = await addReadersPolicy(container, new Date(Date.UTC(2030, 0, 1)));
    const after = await describeContainer(container);
    return { before, owner, reviewed, invalid, policy, after };
  } finally {
    await deleteContainer(container);
  }
}
