// createAccountSas against the emulator: what an account SAS reaches and refuses, and the checks
// of its permissions and resource types.
import { connect, isStorageError } from "@blobkit/auth";
import { runOperation } from "@blobkit/auth/kit";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { createAccountSas } from "../src/index.js";
import { connectWithSas, thrown } from "./helpers.js";

describe("createAccountSas against the emulator", () => {
  test("lists containers and reads, and refuses writes it does not grant", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("a.txt", "hello", 5);
    const service = await connect({ method: "emulator", emulator: azurite });
    const sas = createAccountSas(service, {
      permissions: ["read", "list"],
      resourceTypes: ["service", "container", "object"],
    });
    expect(sas).toMatchObject({ kind: "account", permissions: "rl" });
    const viaSas = await connectWithSas(azurite.blobEndpoint, sas.token);
    const names: string[] = [];
    for await (const item of viaSas.listContainers({ prefix: container.name })) {
      names.push(item.name);
    }
    expect(names).toEqual([container.name]);
    const blob = viaSas.getContainerClient(container.name).getBlockBlobClient("a.txt");
    expect((await blob.downloadToBuffer()).toString()).toBe("hello");
    const error = await runOperation(
      { operation: "upload blob", client: viaSas, access: "write" },
      () => blob.upload("changed", 7),
    ).catch((e: unknown) => e);
    expect(isStorageError(error, "PermissionDenied")).toBe(true);
  });

  test("checks permissions and resource types", async ({ azurite }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    expect(
      thrown(() => createAccountSas(service, { permissions: "rp", resourceTypes: "o" })).message,
    ).toMatch(/'p' \(process\) is not valid for an account SAS for the blob service/);
    expect(thrown(() => createAccountSas(service, { permissions: "r" } as never))).toMatchObject({
      field: "resourceTypes",
    });
    expect(
      thrown(() => createAccountSas(service, { permissions: "r", resourceTypes: "x" })),
    ).toMatchObject({ field: "resourceTypes" });
    expect(createAccountSas(service, { permissions: "lr", resourceTypes: "oc" }).token).toMatch(
      /srt=co&/,
    );
  });
});
