// Live checks of what the emulator cannot show: a directory SAS (`sr=d`) on a real account with a
// hierarchical namespace. Runs only when BLOBKIT_LIVE_CONNECTION_STRING is set (never in CI).
import { connect } from "@blobkit/auth";
import { createTestContainer } from "@blobkit/testing";
import { describe, expect, test } from "vitest";
import { createServiceSas } from "../../src/index.js";
import { connectWithSas } from "../helpers.js";

const connectionString = process.env.BLOBKIT_LIVE_CONNECTION_STRING;

describe.skipIf(!connectionString)("SAS against a live account", () => {
  test("a directory SAS reads a blob under the directory and nothing outside it", async (context) => {
    const service = await connect({
      method: "connectionString",
      connectionString: connectionString ?? "",
      retry: { maxTries: 1 },
    });
    const info = await service.getAccountInfo();
    if (!info.isHierarchicalNamespaceEnabled) {
      context.skip("directory SAS needs an account with a hierarchical namespace");
    }
    await using container = await createTestContainer(service, { prefix: "live-dir-sas" });
    await container.client.uploadBlockBlob("2024/q1/a.txt", "inside", 6);
    await container.client.uploadBlockBlob("2024/q2/b.txt", "outside", 7);
    const sas = createServiceSas(
      service,
      { container: container.name, directory: "2024/q1" },
      { permissions: "r", expiresOn: new Date(Date.now() + 10 * 60_000) },
    );
    const viaSas = await connectWithSas(service.url, sas.token);
    const inside = viaSas.getContainerClient(container.name).getBlobClient("2024/q1/a.txt");
    expect((await inside.downloadToBuffer()).toString()).toBe("inside");
    const outside = viaSas.getContainerClient(container.name).getBlobClient("2024/q2/b.txt");
    await expect(outside.download()).rejects.toMatchObject({ statusCode: 403 });
  });
});
