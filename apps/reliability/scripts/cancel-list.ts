// Cancellation of listBlobs, in its own process: 1,000 blobs listed 100 per page through a proxy
// that holds every listing request after the second for 30 s. Aborting while the third page is
// awaited must reject with "Aborted" within 1 s; the process must then exit by itself.
import { connect } from "@blobkit/auth";
import { listBlobs, uploadBlob } from "@blobkit/blobs";
import { createContainer } from "@blobkit/containers";
import { startAzurite, startFaultProxy } from "@blobkit/testing";
import { abortAndMeasure, check, report, waitUntil } from "./support.ts";

const BLOBS = 1_000;
const PAGE = 100;

const azurite = await startAzurite();
const proxy = await startFaultProxy(azurite.blobEndpoint, {
  rules: [{ fault: "delay", method: "GET", path: /comp=list/, after: 2, delayMs: 30_000 }],
});
let result: Record<string, unknown>;
try {
  const service = await connect({ method: "emulator", emulator: azurite });
  await createContainer(service, "many");
  const container = service.getContainerClient("many");
  const names = Array.from({ length: BLOBS }, (_, i) => `item-${String(i).padStart(4, "0")}`);
  for (let i = 0; i < names.length; i += 50) {
    await Promise.all(names.slice(i, i + 50).map((name) => uploadBlob(container, name, name)));
  }

  const viaProxy = await connect({
    method: "emulator",
    emulator: { ...azurite.toJSON(), blobEndpoint: proxy.url },
  });
  const controller = new AbortController();
  let listed = 0;
  let pages = 0;
  const running = (async () => {
    const listing = listBlobs(viaProxy.getContainerClient("many"), { signal: controller.signal });
    for await (const page of listing.byPage({ maxPageSize: PAGE })) {
      pages++;
      listed += page.items.length;
    }
  })();
  await waitUntil("third page requested", () => proxy.stats.faults.delay >= 1);
  const outcome = await abortAndMeasure("list blobs", controller, running);
  check(pages === 2 && listed === 2 * PAGE, `listed ${listed} blobs in ${pages} pages`);

  result = {
    operation: "listBlobs",
    ...outcome,
    blobs: BLOBS,
    pageSize: PAGE,
    pagesBeforeAbort: pages,
    listedBeforeAbort: listed,
  };
} finally {
  await proxy.stop();
  await azurite.stop();
}
report(result);
