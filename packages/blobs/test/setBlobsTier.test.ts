import { describe, expect, test } from "@blobkit/testing/vitest";
import { getBlobTier, setBlobsTier } from "../src/index.js";
import { putBlobs, service } from "./helpers-manage.js";

describe("setBlobsTier", () => {
  test("setBlobsTier sets many tiers in batches, with a result per blob", async ({
    azurite,
    container,
  }) => {
    const names = Array.from({ length: 300 }, (_, i) => `t/${String(i).padStart(3, "0")}`);
    await putBlobs(container.client, names);
    const client = (await service(azurite)).getContainerClient(container.name);
    const progress: number[] = [];
    const result = await setBlobsTier(client, [...names, "t/missing"], "Cool", {
      onProgress: (p) => progress.push(p.loaded),
    });
    expect(result.succeeded).toBe(300);
    expect(result.failed).toBe(1);
    expect(result.results.at(-1)).toMatchObject({ name: "t/missing", ok: false, status: 404 });
    expect(result.results.at(-1)?.error?.code).toBe("NotFound");
    expect(progress.sort((a, b) => a - b).at(-1)).toBe(301);
    expect((await getBlobTier(client.getBlobClient("t/299"))).tier).toBe("Cool");
  });
});
