// Whether a download can be checked against the blob's stored MD5, and the error when its bytes
// do not match: the same decision and the same message for every destination.
import { type ErrorContext, StorageError } from "@blobkit/auth";
import { describeOperation } from "@blobkit/auth/kit";
import { base64 } from "#platform";
import type { DownloadVerification } from "../../DownloadBlobOptions.js";
import type { DownloadSettings } from "./settings.js";

/** The check a download makes: the MD5 to expect, or why there is none. */
export type VerificationPlan =
  | { verification: "verified"; expected: Uint8Array }
  | { verification: Exclude<DownloadVerification, "verified"> };

/** The plan of a download of `length` bytes of a blob of `blobSize` that stores MD5 `stored`. */
export function planVerification(
  settings: DownloadSettings,
  length: number,
  blobSize: number,
  stored: Uint8Array | undefined,
): VerificationPlan {
  if (!settings.verify) return { verification: "disabled" };
  if (length !== blobSize) return { verification: "range" };
  return stored
    ? { verification: "verified", expected: stored }
    : { verification: "no checksum stored" };
}

/**
 * Throws the `"ChecksumMismatch"` error when `plan` expects an MD5 and `actual` is another; `kept`
 * says what became of the bytes.
 */
export async function verifyDigest(
  context: ErrorContext,
  plan: VerificationPlan,
  actual: () => Uint8Array | Promise<Uint8Array>,
  kept: string,
): Promise<void> {
  if (plan.verification !== "verified") return;
  const digest = await actual();
  const { expected } = plan;
  if (digest.length !== expected.length || digest.some((byte, i) => byte !== expected[i])) {
    throw checksumMismatch(context, expected, digest, kept);
  }
}

/** The `"ChecksumMismatch"` error of a download whose bytes do not match the stored MD5. */
export function checksumMismatch(
  context: ErrorContext,
  expected: Uint8Array,
  actual: Uint8Array,
  kept: string,
): StorageError {
  const hex = base64;
  return new StorageError(
    "ChecksumMismatch",
    `${describeOperation(context)} failed: the bytes received have MD5 ${hex(actual)} but the blob's stored Content-MD5 is ${hex(expected)}. ${kept} Download it again; if it fails the same way, the stored blob or its Content-MD5 is wrong: check how it was uploaded (uploadBlob stores the MD5 of what it sent).`,
    { operation: context.operation },
  );
}
