// The one shared prelude of the TSDoc examples that scripts/check-examples.ts type-checks: the
// only names an `@example` block may use without importing or declaring them. Keep it this short:
// anything else an example uses, it imports or declares itself (`declare const sasToken: string;`),
// so a reader can copy it and see what it needs.
//
// The names are globals rather than text pasted above each example: an example that makes its own
// (`const container = service.getContainerClient("reports");`) then shadows the global instead of
// clashing with a second declaration, and line numbers in the checker's messages stay exact.
// There is no shared `signal`: an example that cancels shows where its signal comes from
// (`AbortSignal.timeout(ms)`).
// This file is excluded from the docs project's own type check (tsconfig.json), so samples and
// tests never see these globals.
import type { BlobClient, BlobServiceClient, ContainerClient } from "@azure/storage-blob";

declare global {
  /** A connected service client, as `connect()` returns it. */
  const service: BlobServiceClient;
  /** A client of a container that exists. */
  const container: ContainerClient;
  /** A client of a blob in `container`. */
  const blob: BlobClient;
}
