// Control for the cancellation scripts: the harness alone (start Azurite, one upload, stop). It
// must exit by itself like every script, and shows how long that takes with nothing aborted.
import { connect } from "@blobkit/auth";
import { uploadBlob } from "@blobkit/blobs";
import { createContainer } from "@blobkit/containers";
import { startAzurite } from "@blobkit/testing";
import { report } from "./support.ts";

const azurite = await startAzurite();
try {
  const service = await connect({ method: "emulator", emulator: azurite });
  await createContainer(service, "control");
  await uploadBlob(service.getContainerClient("control"), "a.txt", "hello");
} finally {
  await azurite.stop();
}
report({ operation: "control: start Azurite, upload, stop" });
