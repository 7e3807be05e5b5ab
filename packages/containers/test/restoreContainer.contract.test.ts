// Contract tests: Azurite does not implement container soft delete or Restore Container (it
// answers 501), so these check the exact REST requests the SDK sends for us and our handling of
// the documented responses. The same scenarios run against Azure in live/containers.live.test.ts.
import { type StubRequest, startStubServer } from "@blobkit/testing";
import { describe, expect, test } from "vitest";
import { restoreContainer } from "../src/index.js";
import {
  connectTo,
  describeRequest,
  errorReply,
  listReply,
  pathOf,
  replyWith,
  SOFT_DELETED_NAME,
  softDeletedAccount,
} from "./azureResponses.js";

const NAME = SOFT_DELETED_NAME;

describe("contract: restoreContainer", () => {
  test("lists with include=deleted, then undeletes the latest deleted version with the documented headers", async () => {
    await using server = await startStubServer(replyWith(softDeletedAccount()));
    const service = await connectTo(server);
    const restored = await restoreContainer(service, NAME);
    expect(restored).toEqual({
      name: NAME,
      version: "01DA0000000000B2",
      deletedOn: new Date("2024-04-30T08:00:00Z"),
    });
    expect(server.requests).toHaveLength(2);
    const [list, undelete] = server.requests as [StubRequest, StubRequest];
    expect(list.method).toBe("GET");
    expect(pathOf(list)).toBe("/");
    expect(list.query.get("comp")).toBe("list");
    expect(list.query.get("prefix")).toBe(NAME);
    expect(list.query.get("include")).toBe("deleted");
    expect(undelete.method).toBe("PUT");
    expect(pathOf(undelete)).toBe(`/${NAME}`);
    expect(undelete.query.get("restype")).toBe("container");
    expect(undelete.query.get("comp")).toBe("undelete");
    expect(undelete.headers["x-ms-deleted-container-name"]).toBe(NAME);
    expect(undelete.headers["x-ms-deleted-container-version"]).toBe("01DA0000000000B2");
    expect(undelete.headers.authorization).toMatch(/^SharedKey devstoreaccount1:/);
  });

  test("with a version, undeletes that version without listing", async () => {
    await using server = await startStubServer(replyWith(softDeletedAccount()));
    const restored = await restoreContainer(await connectTo(server), NAME, {
      version: "01DA0000000000A1",
    });
    expect(restored).toEqual({ name: NAME, version: "01DA0000000000A1" });
    expect(server.requests.map(describeRequest)).toEqual([
      `PUT /${NAME}?restype=container&comp=undelete`,
    ]);
    expect(server.requests[0]?.headers["x-ms-deleted-container-version"]).toBe("01DA0000000000A1");
  });

  test("soft delete off (no deleted version listed): NotFound that says why, and no undelete request", async () => {
    await using server = await startStubServer(
      replyWith((request) =>
        request.query.get("comp") === "list"
          ? listReply([{ name: NAME }], { prefix: NAME })
          : errorReply(500, "UnexpectedRequest"),
      ),
    );
    const error = await restoreContainer(await connectTo(server), NAME).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "StorageError", code: "NotFound" });
    expect((error as Error).message).toMatch(/no soft-deleted version/);
    expect((error as Error).message).toMatch(/container soft delete is not enabled/);
    expect((error as Error).message).toMatch(/exists and is not deleted/);
    expect(server.requests).toHaveLength(1);
  });

  test("version gone (404 ContainerNotFound): NotFound naming the version and the retention period", async () => {
    await using server = await startStubServer(
      replyWith(
        softDeletedAccount(
          errorReply(404, "ContainerNotFound", "The specified container does not exist."),
        ),
      ),
    );
    const error = await restoreContainer(await connectTo(server), NAME, {
      version: "01DA0000000000A1",
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "NotFound",
      statusCode: 404,
      serviceCode: "ContainerNotFound",
    });
    expect((error as Error).message).toMatch(/version '01DA0000000000A1'.*retention period passed/);
  });

  test("name in use again (409 ContainerAlreadyExists): AlreadyExists that explains restores keep the original name", async () => {
    await using server = await startStubServer(
      replyWith(
        softDeletedAccount(
          errorReply(409, "ContainerAlreadyExists", "The specified container already exists."),
        ),
      ),
    );
    const error = await restoreContainer(await connectTo(server), NAME).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "AlreadyExists", serviceCode: "ContainerAlreadyExists" });
    expect((error as Error).message).toMatch(/only under its original name/);
  });

  test("the signal reaches the undelete request: a hanging restore is cancelled", async () => {
    let cancelledByClient = 0;
    await using server = await startStubServer(
      replyWith(softDeletedAccount({ status: 0, hang: true }), {
        onHangUp: () => cancelledByClient++,
      }),
    );
    const controller = new AbortController();
    const pending = restoreContainer(await connectTo(server), NAME, { signal: controller.signal });
    while (server.requests.length < 2) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "Aborted" });
    // The request itself was cancelled (the SDK's public undeleteContainer cannot do that).
    while (cancelledByClient < 1) await new Promise((r) => setTimeout(r, 10));
  });

  test("an invalid name or version sends no request", async () => {
    await using server = await startStubServer(replyWith());
    const service = await connectTo(server);
    await expect(restoreContainer(service, "Invoices")).rejects.toMatchObject({
      code: "InvalidArgument",
      field: "container name",
    });
    await expect(restoreContainer(service, NAME, { version: "" })).rejects.toMatchObject({
      code: "InvalidArgument",
      field: "version",
    });
    expect(server.requests).toHaveLength(0);
  });
});
