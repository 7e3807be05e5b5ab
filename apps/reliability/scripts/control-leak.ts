// Negative control for the cancellation scripts: the same harness, but it forgets a timer, as a
// lease renewal or a poll loop might. The parent test expects this process NOT to exit by
// itself, which proves that its exit check detects leftovers.
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
// The deliberate leak.
setInterval(() => {}, 1_000);
report({ operation: "control: a forgotten timer" });
