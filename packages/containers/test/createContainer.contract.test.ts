// Contract tests for what Azurite does not do: it lets a just-deleted container be created again
// at once, while Azure answers 409 ContainerBeingDeleted for at least 30 seconds. These check that
// createContainer waits with backoff (bounded and cancellable) on the documented response.
import { startStubServer } from "@blobkit/testing";
import { describe, expect, test } from "vitest";
import { createContainer, createContainerIfNotExists } from "../src/index.js";
import {
  connectTo,
  createdReply,
  describeRequest,
  errorReply,
  replyWith,
} from "./azureResponses.js";

const beingDeleted = () =>
  errorReply(409, "ContainerBeingDeleted", "The specified container is being deleted.");

describe("contract: createContainer while the name is being deleted", () => {
  test("tries again with backoff until Azure accepts it", async () => {
    await using server = await startStubServer(
      replyWith((_, index) => (index < 2 ? beingDeleted() : createdReply())),
    );
    const created = await createContainer(await connectTo(server), "reports", {
      metadata: { owner: "finance" },
      retryWhileBeingDeleted: { initialDelayMs: 10, maxDelayMs: 20 },
    });
    expect(created).toMatchObject({ name: "reports", etag: '"0x8DC0000000000A1"' });
    expect(created.url).toMatch(/\/devstoreaccount1\/reports$/);
    expect(server.requests).toHaveLength(3);
    for (const request of server.requests) {
      expect(describeRequest(request)).toBe("PUT /reports?restype=container");
      expect(request.headers["x-ms-meta-owner"]).toBe("finance");
    }
  });

  test("is bounded: gives up with a Conflict that says how long it waited", async () => {
    await using server = await startStubServer(replyWith(beingDeleted));
    const error = await createContainer(await connectTo(server), "reports", {
      retryWhileBeingDeleted: { maxWaitMs: 60, initialDelayMs: 10, maxDelayMs: 20 },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "Conflict",
      serviceCode: "ContainerBeingDeleted",
      statusCode: 409,
    });
    expect((error as Error).message).toMatch(/still being deleted .* over \d+ tries.*30 seconds/);
    expect((error as { tries: number }).tries).toBe(server.requests.length);
    expect(server.requests.length).toBeGreaterThan(1);
  });

  test("is cancellable: the signal ends the wait at once", async () => {
    await using server = await startStubServer(replyWith(beingDeleted));
    const controller = new AbortController();
    const started = Date.now();
    const pending = createContainer(await connectTo(server), "reports", {
      signal: controller.signal,
      retryWhileBeingDeleted: { initialDelayMs: 60_000 },
    });
    while (server.requests.length < 1) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "Aborted" });
    expect(Date.now() - started).toBeLessThan(10_000); // hang detection only
    expect(server.requests).toHaveLength(1);
  });

  test("retryWhileBeingDeleted: false fails at once", async () => {
    await using server = await startStubServer(replyWith(beingDeleted));
    await expect(
      createContainer(await connectTo(server), "reports", { retryWhileBeingDeleted: false }),
    ).rejects.toMatchObject({ code: "Conflict", serviceCode: "ContainerBeingDeleted" });
    expect(server.requests).toHaveLength(1);
  });

  test("createContainerIfNotExists waits too, then reports created", async () => {
    await using server = await startStubServer(
      replyWith((_, index) => (index < 1 ? beingDeleted() : createdReply())),
    );
    const result = await createContainerIfNotExists(await connectTo(server), "reports", {
      retryWhileBeingDeleted: { initialDelayMs: 10 },
    });
    expect(result).toMatchObject({ created: true, name: "reports" });
    expect(server.requests).toHaveLength(2);
  });

  test("PublicAccessNotPermitted gets a hint about the account setting", async () => {
    await using server = await startStubServer(
      replyWith(() =>
        errorReply(
          409,
          "PublicAccessNotPermitted",
          "Public access is not permitted on this storage account.",
        ),
      ),
    );
    const error = await createContainer(await connectTo(server), "site", {
      publicAccess: "blob",
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "Conflict", serviceCode: "PublicAccessNotPermitted" });
    expect((error as Error).message).toMatch(/AllowBlobPublicAccess/);
    expect(server.requests[0]?.headers["x-ms-blob-public-access"]).toBe("blob");
  });
});
