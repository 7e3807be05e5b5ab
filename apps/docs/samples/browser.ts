/**
 * Use BlobKit in a browser, the server's part: the CORS rule that lets a page call the account,
 * and a short-lived SAS for one container, handed to the page. The page's part is
 * `browser-page.ts`.
 *
 * Run against the embedded emulator by `pnpm start`, with the page's functions on Node.js;
 * tested by `test/browser.test.ts`, and in headless Chromium by `apps/e2e/test/browser.test.ts`.
 */
import type { BlobServiceClient } from "@azure/storage-blob";
// #region server-imports
import { connect } from "@blobkit/auth";
import { createServiceSas } from "@blobkit/sas";
// #endregion server-imports
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";
import {
  connectWithGrant,
  readBack,
  saveToDisk,
  type UploadGrant,
  uploadUserFile,
} from "./browser-page.ts";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Use BlobKit in a browser", order: 23 };

// #region cors
/**
 * Lets pages from `origin` call the account's Blob service. Set Blob Service Properties replaces
 * every CORS rule at once, so the other origins' rules are kept.
 */
export async function allowOrigin(service: BlobServiceClient, origin: string) {
  const { cors = [] } = await service.getProperties();
  await service.setProperties({
    cors: [
      ...cors.filter((rule) => rule.allowedOrigins !== origin),
      {
        allowedOrigins: origin,
        allowedMethods: "GET,HEAD,PUT,OPTIONS",
        allowedHeaders: "*",
        exposedHeaders: "*", // the page reads ETag, Content-MD5 and x-ms-* response headers
        maxAgeInSeconds: 3600,
      },
    ],
  });
}
// #endregion cors

// #region grant
/**
 * What the server hands a signed-in user's page: a SAS for one container, to read, create and
 * write blobs for 15 minutes. The account key never leaves the server.
 */
export function uploadGrant(service: BlobServiceClient, container: string): UploadGrant {
  const sas = createServiceSas(
    service,
    { container },
    { permissions: "rcw", expiresOn: new Date(Date.now() + 15 * 60_000) },
  );
  return {
    containerUrl: service.getContainerClient(container).url,
    container,
    sasToken: sas.token,
  };
}
// #endregion grant

export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({
    method: "accountKey",
    accountName: env.azurite.accountName,
    accountKey: env.azurite.accountKey,
    accountUrl: env.azurite.blobEndpoint,
    allowHttp: true,
  });
  const name = uniqueContainerName("browser");
  await service.getContainerClient(name).create();
  try {
    await allowOrigin(service, "http://localhost:5173");
    const grant = uploadGrant(service, name);

    // The page's part, here on Node.js: apps/e2e runs the same functions in Chromium.
    const container = await connectWithGrant(grant);
    const bytes = new Uint8Array(6 * 1024 * 1024).map((_, i) => (i * 31) % 251);
    const file = new File([bytes], "holiday photo.jpg", { type: "image/jpeg" });
    // The user cancels half-way, then uploads the same file again: only what is missing is sent.
    const cancel = new AbortController();
    const cancelled = await uploadUserFile(
      container,
      file,
      (percent) => percent >= 50 && cancel.abort(),
      cancel.signal,
    ).catch((error: unknown) => error);
    const percents: number[] = [];
    const uploaded = await uploadUserFile(container, file, (percent) => percents.push(percent));
    const back = await readBack(container, "uploads/holiday photo.jpg");
    // On Node.js, a WritableStream that collects the chunks stands in for the file's writable.
    const chunks: Uint8Array[] = [];
    const saved = await saveToDisk(
      container,
      "uploads/holiday photo.jpg",
      new WritableStream({ write: (chunk) => void chunks.push(chunk) }),
    );
    console.log(
      `uploaded ${uploaded.contentLength} bytes in ${uploaded.blockCount} blocks (${uploaded.resumedBlocks} already sent before the cancel); read back ${back.content.length} bytes (${back.verification})`,
    );
    const { cors = [] } = await service.getProperties();
    return {
      corsOrigins: cors.map((rule) => rule.allowedOrigins),
      grant: {
        container: grant.container,
        permissions: new URLSearchParams(grant.sasToken).get("sp"),
      },
      cancelled: (cancelled as { code?: string }).code,
      uploaded,
      lastPercent: percents.at(-1),
      back: {
        same: Buffer.from(back.content).equals(Buffer.from(bytes)),
        contentType: back.contentType,
        verification: back.verification,
      },
      saved: {
        ...saved,
        same: Buffer.concat(chunks).equals(Buffer.from(bytes)),
      },
    };
  } finally {
    await service.getContainerClient(name).delete();
  }
}
