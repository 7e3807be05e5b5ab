// deleteContainersByPrefix against the embedded Azurite, plus a listing that fails half-way
// (fault injected by a stub server).
import { connect, StorageError } from "@blobkit/auth";
import { startStubServer, uniqueContainerName } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  createContainer,
  deleteContainer,
  deleteContainersByPrefix,
  listContainers,
} from "../src/index.js";
import { connectTo, errorReply, listReply, pathOf, replyWith } from "./azureResponses.js";

async function namesWithPrefix(
  service: Awaited<ReturnType<typeof connect>>,
  prefix: string,
): Promise<string[]> {
  const names: string[] = [];
  for await (const item of listContainers(service, { prefix })) names.push(item.name);
  return names;
}

describe("deleteContainersByPrefix", () => {
  test("deletes every match with bounded concurrency and reports each one, failures included", async ({
    azurite,
  }) => {
    const service = await connect({
      method: "emulator",
      emulator: azurite,
      retry: { maxTries: 1 },
    });
    const prefix = `${uniqueContainerName("prefix")}-`;
    const names = Array.from({ length: 7 }, (_, i) => `${prefix}${i}`);
    const bystander = `${prefix.slice(0, -1)}x-other`;
    for (const name of [...names, bystander]) await createContainer(service, name);
    const leased = names[3] ?? "";
    const lease = await service.getContainerClient(leased).getBlobLeaseClient().acquireLease(-1);
    try {
      const progress: number[] = [];
      const result = await deleteContainersByPrefix(service, prefix, {
        concurrency: 3,
        pageSize: 2,
        onProgress: (p) => progress.push(p.loaded),
      });
      expect(result.deleted).toBe(6);
      expect(result.failed).toBe(1);
      expect(result.results.map((r) => r.name)).toEqual(names);
      const failure = result.results.find((r) => r.status === "failed");
      expect(failure?.name).toBe(leased);
      expect(failure?.error).toBeInstanceOf(StorageError);
      expect(failure?.error?.code).toBe("LeaseConflict");
      expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(await namesWithPrefix(service, prefix)).toEqual([leased]);
      expect(await namesWithPrefix(service, bystander)).toEqual([bystander]);
    } finally {
      await deleteContainer(service.getContainerClient(leased), { leaseId: lease.leaseId ?? "" });
      await deleteContainer(service.getContainerClient(bystander));
    }
  });

  test("nothing matches: an empty result, not an error", async ({ azurite }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    expect(await deleteContainersByPrefix(service, uniqueContainerName("none"))).toEqual({
      results: [],
      deleted: 0,
      failed: 0,
    });
  });

  test("cancelled half-way: throws Aborted saying how many were deleted; the rest remain", async ({
    azurite,
  }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    const prefix = `${uniqueContainerName("abort")}-`;
    for (let i = 0; i < 4; i++) await createContainer(service, `${prefix}${i}`);
    const controller = new AbortController();
    try {
      const error = await deleteContainersByPrefix(service, prefix, {
        concurrency: 1,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.loaded === 2) controller.abort();
        },
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "Aborted" });
      expect((error as Error).message).toMatch(/after deleting 2 containers .*Run it again/);
      expect(await namesWithPrefix(service, prefix)).toHaveLength(2);
    } finally {
      await deleteContainersByPrefix(service, prefix);
    }
  });

  test("a listing that fails half-way throws, saying how many were deleted (never a silent stop)", async () => {
    await using server = await startStubServer(
      replyWith((request) => {
        if (request.method === "DELETE") return { status: 202 };
        return request.query.get("marker")
          ? errorReply(500, "InternalError", "Server busy")
          : listReply([{ name: "ci-1" }, { name: "ci-2" }], { nextMarker: "next" });
      }),
    );
    const error = await deleteContainersByPrefix(await connectTo(server), "ci-", {
      concurrency: 1,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ServerError", statusCode: 500 });
    expect((error as Error).message).toMatch(
      /stopped after deleting 2 containers .*listing failed/,
    );
    expect(server.requests.filter((r) => r.method === "DELETE").map(pathOf)).toEqual([
      "/ci-1",
      "/ci-2",
    ]);
  });

  test("an empty or impossible prefix, or bad options, delete nothing and send no request", async () => {
    await using server = await startStubServer(replyWith());
    const service = await connectTo(server);
    const attempts: Array<[string, Parameters<typeof deleteContainersByPrefix>[2], string]> = [
      ["", {}, "prefix"],
      ["CI-", {}, "prefix"],
      ["ci_", {}, "prefix"],
      ["ci-", { concurrency: 0 }, "concurrency"],
      ["ci-", { concurrency: 65 }, "concurrency"],
      ["ci-", { pageSize: 1.5 }, "pageSize"],
    ];
    for (const [prefix, options, field] of attempts) {
      await expect(deleteContainersByPrefix(service, prefix, options)).rejects.toMatchObject({
        code: "InvalidArgument",
        field,
      });
    }
    expect(server.requests).toHaveLength(0);
  });
});
