// The SDK options of a delete, shared by deleteBlob and deleteBlobs (whose batch sub-requests take
// the same options).
import type { OperationOptions } from "@blobkit/auth";
import { describeValue, invalidArgument, sdkOptions } from "@blobkit/auth/kit";
import type { BlobConditions, DeleteSnapshots } from "../types.js";
import { sdkConditions } from "./conditions.js";

/** The options of a delete (`DeleteBlobOptions`), as checked here. */
export interface DeleteInput extends OperationOptions, BlobConditions {
  deleteSnapshots?: DeleteSnapshots;
}

/** Checks `deleteSnapshots` and the conditions, and returns the SDK options of a delete. */
export function deleteOptions(options: DeleteInput) {
  const { deleteSnapshots } = options;
  if (
    deleteSnapshots !== undefined &&
    deleteSnapshots !== "include" &&
    deleteSnapshots !== "only"
  ) {
    throw invalidArgument(
      "deleteSnapshots",
      `must be "include" or "only", got ${describeValue(deleteSnapshots)}`,
    );
  }
  return {
    ...sdkOptions(options),
    conditions: sdkConditions(options),
    ...(deleteSnapshots ? { deleteSnapshots } : {}),
  };
}
