import { describe, expect, test } from "@blobkit/testing/vitest";
import { copyBlob, getBlobTier, rehydrateBlob, setBlobsTier, setBlobTier } from "../src/index.js";
import { putBlobs, service } from "./helpers-manage.js";

describe("rehydrateBlob", () => {
  test("an archived blob cannot be read; the error says to rehydrate first", async ({
    azurite,
    container,
  }) => {
    await putBlobs(container.client, ["cold/a.bin"]);
    const client = (await service(azurite)).getContainerClient(container.name);
    const blob = client.getBlobClient("cold/a.bin");
    await setBlobTier(blob, "Archive");
    expect(await getBlobTier(blob)).toMatchObject({ tier: "Archive", archived: true });
    const error = await copyBlob(blob, client.getBlobClient("copy.bin"), { mode: "sync" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "Conflict", serviceCode: "BlobArchived" });
    expect(String(error)).toMatch(/Archive tier.*Rehydrate it first with rehydrateBlob\(\)/);
  });

  test("rehydrateBlob brings an archived blob online, in place or as a copy", async ({
    azurite,
    container,
  }) => {
    await putBlobs(container.client, ["arch/1", "arch/2", "online"]);
    const client = (await service(azurite)).getContainerClient(container.name);
    await setBlobsTier(client, ["arch/1", "arch/2"], "Archive");
    // Azurite rehydrates instantly; Azure answers 202 and takes hours (see the contract tests).
    const inPlace = await rehydrateBlob(client.getBlobClient("arch/1"), { priority: "High" });
    expect(inPlace.mode).toBe("in-place");
    expect((await getBlobTier(client.getBlobClient("arch/1"))).archived).toBe(false);
    const copy = await rehydrateBlob(client.getBlobClient("arch/2"), {
      tier: "Cool",
      destination: client.getBlobClient("restored/2"),
    });
    expect(copy.mode).toBe("copy");
    expect((await getBlobTier(client.getBlobClient("restored/2"))).tier).toBe("Cool");
    expect((await getBlobTier(client.getBlobClient("arch/2"))).archived).toBe(true);
    expect(await rehydrateBlob(client.getBlobClient("online"), { tier: "Cool" })).toMatchObject({
      mode: "none",
      pending: false,
    });
    await expect(
      rehydrateBlob(client.getBlobClient("online"), { tier: "Archive" as "Hot" }),
    ).rejects.toThrow(/must be one of Hot, Cool, Cold/);
  });
});
