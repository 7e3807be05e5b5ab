/**
 * Find blobs using tags: set and read index tags, build queries that are always quoted right,
 * find blobs across the account or in one container, and make writes conditional on tags.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/find-blobs-by-tags.test.ts`.
 */
import type { BlobClient, BlobServiceClient, ContainerClient } from "@azure/storage-blob";
import { connect, isStorageError } from "@blobkit/auth";
// #region imports
import {
  findBlobsByTags,
  getBlobTags,
  setBlobMetadata,
  setBlobTags,
  tagQuery,
} from "@blobkit/blobs";
// #endregion imports
import { createContainer, deleteContainer } from "@blobkit/containers";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Find blobs using tags", order: 33 };

// #region set-tags
/** Tag a blob: up to 10 tags, checked before the request. */
export async function tagInvoice(blob: BlobClient, customer: string, dueDate: string) {
  await setBlobTags(blob, { kind: "invoice", customer, due: dueDate, status: "open" });
  return getBlobTags(blob);
}
// #endregion set-tags

// #region query
/** A query built from user input: keys and values are quoted by the builder, never by hand. */
export function openInvoicesOf(customer: string, dueBefore: string) {
  return tagQuery()
    .where("kind", "=", "invoice")
    .and("customer", "=", customer)
    .and("status", "=", "open")
    .and("due", "<", dueBefore); // lexicographic: use sortable forms such as 2024-05-01
}
// #endregion query

// #region find-account
/** Find across every container of the account (or in one: add `.inContainer(name)`). */
export async function findOverdue(service: BlobServiceClient, customer: string, today: string) {
  const found: string[] = [];
  for await (const blob of findBlobsByTags(service, openInvoicesOf(customer, today))) {
    found.push(`${blob.containerName}/${blob.name}`);
  }
  return found;
}
// #endregion find-account

// #region find-container
/** Find in one container, page by page. */
export async function findInContainer(container: ContainerClient, customer: string) {
  const pages: string[][] = [];
  const query = tagQuery().where("customer", "=", customer);
  for await (const page of findBlobsByTags(container, query).byPage()) {
    pages.push(page.items.map((blob) => blob.name));
  }
  return pages;
}
// #endregion find-container

// #region refuse
/** What the grammar cannot express is refused before any request, with the reason. */
export function refusedQueries() {
  const attempts = [
    () => tagQuery().where("customer", "=", "O'Brien"), // quotes cannot be carried
    () => tagQuery().where("status", "=", "open").or(), // there is no OR
    () => tagQuery().where("due", ">", "2024").and("due", ">=", "2025"), // same-sided range
  ];
  return attempts.map((attempt) => {
    try {
      return attempt().toString();
    } catch (error) {
      if (isStorageError(error, "InvalidArgument")) return error.message;
      throw error;
    }
  });
}
// #endregion refuse

// #region where-tags
/** Mark an invoice paid only if it is still open: the condition is checked by the service. */
export async function markPaid(blob: BlobClient) {
  const open = tagQuery().where("status", "=", "open");
  try {
    await setBlobMetadata(
      blob,
      { paidOn: new Date().toISOString().slice(0, 10) },
      { whereTags: open },
    );
    const tags = await getBlobTags(blob);
    await setBlobTags(blob, { ...tags, status: "paid" }, { whereTags: open });
    return true;
  } catch (error) {
    if (isStorageError(error, "PreconditionFailed")) return false; // not open any more
    throw error;
  }
}
// #endregion where-tags

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-tags");
  await createContainer(service, name);
  const container = service.getContainerClient(name);
  // A customer id unique to this run, so runs never see each other's blobs.
  const customer = `c${Date.now().toString(36)}`;
  try {
    const invoices = ["2024/001.pdf", "2024/002.pdf", "2024/003.pdf"];
    for (const invoice of invoices) await container.uploadBlockBlob(invoice, "pdf", 3);
    const tags = await tagInvoice(
      container.getBlobClient(invoices[0] ?? ""),
      customer,
      "2024-04-30",
    );
    await tagInvoice(container.getBlobClient(invoices[1] ?? ""), customer, "2024-06-30");
    await tagInvoice(container.getBlobClient(invoices[2] ?? ""), customer, "2024-03-31");
    const query = openInvoicesOf(customer, "2024-05-01").toString();
    const overdue = await findOverdue(service, customer, "2024-05-01");
    const paidFirst = await markPaid(container.getBlobClient(invoices[0] ?? ""));
    const paidAgain = await markPaid(container.getBlobClient(invoices[0] ?? ""));
    return {
      tags,
      query,
      overdue: overdue.map((path) => path.slice(name.length + 1)).sort(),
      pages: await findInContainer(container, customer),
      refused: refusedQueries(),
      paidFirst,
      paidAgain,
      overdueAfter: (await findOverdue(service, customer, "2024-05-01")).length,
    };
  } finally {
    await deleteContainer(container);
  }
}
