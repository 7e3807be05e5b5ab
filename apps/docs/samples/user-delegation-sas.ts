/**
 * Create a user delegation SAS: sign SAS with a key obtained through Microsoft Entra ID, cached
 * and shared by a signer, for a blob, a container or a directory prefix.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/user-delegation-sas.test.ts`.
 */
import type { TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";
import { BlobClient, ContainerClient } from "@azure/storage-blob";
// #region imports
import { connect, isStorageError } from "@blobkit/auth";
import {
  createUserDelegationSas,
  createUserDelegationSigner,
  parseSas,
  type UserDelegationSigner,
} from "@blobkit/sas";
// #endregion imports
import type { AzuriteConnection } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Create a user delegation SAS", order: 50 };

// #region signer
/** One signer per account, created at start-up and kept: it caches the delegation key. */
export async function createSigner(
  accountUrl: string, // e.g. "https://myaccount.blob.core.windows.net"
  credential: TokenCredential = new DefaultAzureCredential(),
) {
  const service = await connect({ method: "entra", accountUrl, credential });
  return createUserDelegationSigner(service);
}
// #endregion signer

// #region blob-sas
/** A download link for one blob, valid for 15 minutes, read-only, that saves as a file. */
export async function createDownloadLink(
  signer: UserDelegationSigner,
  container: string,
  blob: string,
) {
  const sas = await createUserDelegationSas(
    signer,
    { container, blob },
    {
      permissions: ["read"],
      expiresOn: new Date(Date.now() + 15 * 60_000),
      responseHeaders: { contentDisposition: `attachment; filename="${blob.split("/").pop()}"` },
    },
  );
  return sas.url; // a secret until it expires: hand it over, never log it
}
// #endregion blob-sas

// #region container-sas
/** Read and list a whole container for an hour (the default lifetime). */
export async function createContainerReadAccess(signer: UserDelegationSigner, container: string) {
  const sas = await createUserDelegationSas(signer, { container }, { permissions: "rl" });
  return sas.url;
}
// #endregion container-sas

// #region directory-sas
/**
 * Everything under one directory prefix, e.g. one customer's folder. Azure accepts directory
 * SAS only on accounts with a hierarchical namespace (Data Lake Storage).
 */
export async function createDirectoryAccess(
  signer: UserDelegationSigner,
  container: string,
  directory: string,
) {
  return createUserDelegationSas(
    signer,
    { container, directory },
    { permissions: ["read", "add", "create", "write"] },
  );
}
// #endregion directory-sas

// #region many
/** Links for many blobs at once: the signer fetches the delegation key once for all of them. */
export async function createDownloadLinks(
  signer: UserDelegationSigner,
  container: string,
  blobs: string[],
) {
  return Promise.all(blobs.map((blob) => createDownloadLink(signer, container, blob)));
}
// #endregion many

// #region refused
/** BlobKit refuses what Azure would reject or what is unsafe, before any request. */
export async function tryAWeekLongLink(signer: UserDelegationSigner, container: string) {
  try {
    await createUserDelegationSas(
      signer,
      { container, blob: "report.pdf" },
      { permissions: "r", expiresOn: new Date(Date.now() + 8 * 24 * 3_600_000) },
    );
    return "created";
  } catch (error) {
    if (isStorageError(error, "InvalidArgument")) {
      console.error(error.message); // "Invalid expiresOn: ... cannot outlive its delegation key ..."
      return error.message;
    }
    throw error;
  }
}
// #endregion refused

/** Runs the guide against the HTTPS emulator, which accepts Microsoft Entra ID tokens. */
export async function main(env: { azuriteHttps: AzuriteConnection; credential: TokenCredential }) {
  const signer = await createSigner(env.azuriteHttps.blobEndpoint, env.credential);
  const name = `uds-sample-${Date.now().toString(36)}`;
  const container = signer.service.getContainerClient(name);
  await container.create();
  try {
    await container.uploadBlockBlob("reports/q1.txt", "Q1 report", 9);
    await container.uploadBlockBlob("reports/q2.txt", "Q2 report", 9);

    const link = await createDownloadLink(signer, name, "reports/q1.txt");
    const download = await new BlobClient(link).download();
    const chunks: Buffer[] = [];
    for await (const chunk of download.readableStreamBody ?? []) {
      chunks.push(Buffer.from(chunk as Buffer));
    }

    const listed: string[] = [];
    const reader = new ContainerClient(await createContainerReadAccess(signer, name));
    for await (const blob of reader.listBlobsFlat()) listed.push(blob.name);

    const directory = await createDirectoryAccess(signer, name, "reports");
    const links = await createDownloadLinks(signer, name, ["reports/q1.txt", "reports/q2.txt"]);
    return {
      downloaded: Buffer.concat(chunks).toString("utf8"),
      contentDisposition: download.contentDisposition,
      listed,
      directory: parseSas(directory.url),
      links: links.map((url) => parseSas(url)),
      refused: await tryAWeekLongLink(signer, name),
    };
  } finally {
    await container.delete();
  }
}
