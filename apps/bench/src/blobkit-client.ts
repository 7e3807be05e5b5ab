// The BlobKit client the BlobKit scenarios share (apart from spec.ts, so that the rclone scenario
// processes do not load BlobKit).
import { connect } from "@blobkit/auth";
import type { ScenarioSpec } from "./spec.ts";

/** BlobKit's client of the scenario's container (made before the clock: an application connects once). */
export async function blobkitContainer(spec: ScenarioSpec) {
  const service = await connect({
    method: "emulator",
    emulator: {
      blobEndpoint: spec.endpoint,
      accountName: spec.accountName,
      accountKey: spec.accountKey,
    },
  });
  return service.getContainerClient(spec.container);
}
