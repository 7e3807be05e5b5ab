import { describe, expect, test } from "@blobkit/testing/vitest";
import { getBlobProperties, updateBlobMetadata } from "../src/index.js";
import { service } from "./helpers-manage.js";

describe("updateBlobMetadata", () => {
  test("updateBlobMetadata retries on 412 so concurrent updates are not lost", async ({
    azurite,
    container,
  }) => {
    await container.client.getBlockBlobClient("counter").upload("1", 1, { metadata: { n: "0" } });
    const client = (await service(azurite)).getContainerClient(container.name);
    const blob = client.getBlobClient("counter");
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        updateBlobMetadata(
          blob,
          async (m) => {
            await new Promise((r) => setTimeout(r, 5));
            return { ...m, n: String(Number(m.n) + 1) };
          },
          { maxAttempts: 50 },
        ),
      ),
    );
    expect((await getBlobProperties(blob)).metadata.n).toBe("5");
    expect(results.some((r) => r.attempts > 1)).toBe(true);
  });

  test("updateBlobMetadata writes nothing when update returns undefined", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("same", "1", 1);
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("same");
    const before = await getBlobProperties(blob);
    const result = await updateBlobMetadata(blob, () => undefined);
    expect(result).toMatchObject({ changed: false, attempts: 1, etag: before.etag });
  });

  test("updateBlobMetadata gives up after maxAttempts with PreconditionFailed", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("busy", "1", 1);
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("busy");
    let calls = 0;
    const error = await updateBlobMetadata(
      blob,
      async (m) => {
        calls++;
        // Someone else writes between our read and our write, every time.
        await container.client.getBlobClient("busy").setMetadata({ other: String(calls) });
        return { ...m, mine: "1" };
      },
      { maxAttempts: 3 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PreconditionFailed" });
    expect(calls).toBe(3);
  });
});
