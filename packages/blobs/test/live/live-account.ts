// The account of the live tests: BLOBKIT_LIVE_CONNECTION_STRING (an account with blob soft delete
// and versioning on). Without it, every live test is skipped.
import { connect } from "@blobkit/auth";
import { createTestContainer } from "@blobkit/testing";

/** The live account's connection string; tests skip themselves when it is missing. */
export const connectionString = process.env.BLOBKIT_LIVE_CONNECTION_STRING;

/** A client of the live account, and a fresh test container in it (removed by `await using`). */
export async function live(prefix: string) {
  const service = await connect({
    method: "connectionString",
    connectionString: connectionString ?? "",
  });
  const container = await createTestContainer(service, { prefix });
  return { service, container, client: service.getContainerClient(container.name) };
}

/** Collects an async iterable (the live listings are small). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
