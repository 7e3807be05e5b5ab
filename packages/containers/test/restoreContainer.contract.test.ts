// Contract tests: Azurite does not implement container soft delete or Restore Container (it
// answers 501), so these check the exact REST requests the SDK sends for us and our handling of
// the documented responses. The same scenarios run against Azure in live/containers.live.test.ts.
import { describe, expect, test } from "vitest";
import { listContainers, restoreContainer } from "../src/index.js";
import {
  errorReply,
  listReply,
  type RecordedRequest,
  type Reply,
  startRecordingServer,
} from "./recordingServer.js";

const NAME = "invoices";

/** The account as soft delete leaves it: a live look-alike and two deleted versions of NAME. */
function softDeletedAccount(undeleteReply: Reply = { status: 201 }) {
  return (request: RecordedRequest): Reply => {
    if (request.method === "GET" && request.query.get("comp") === "list") {
      return listReply(
        [
          {
            name: NAME,
            deleted: true,
            version: "01DA0000000000A1",
            deletedTime: "Mon, 29 Apr 2024 08:00:00 GMT",
            remainingRetentionDays: 5,
          },
          {
            name: NAME,
            deleted: true,
            version: "01DA0000000000B2",
            deletedTime: "Tue, 30 Apr 2024 08:00:00 GMT",
            remainingRetentionDays: 6,
          },
          { name: `${NAME}-2023` },
        ],
        { prefix: NAME },
      );
    }
    if (request.method === "PUT" && request.query.get("comp") === "undelete") return undeleteReply;
    return errorReply(500, "UnexpectedRequest");
  };
}

describe("contract: restoreContainer", () => {
  test("lists with include=deleted, then undeletes the latest deleted version with the documented headers", async () => {
    await using server = await startRecordingServer(softDeletedAccount());
    const service = await server.connect();
    const restored = await restoreContainer(service, NAME);
    expect(restored).toEqual({
      name: NAME,
      version: "01DA0000000000B2",
      deletedOn: new Date("2024-04-30T08:00:00Z"),
    });
    expect(server.requests).toHaveLength(2);
    const [list, undelete] = server.requests as [RecordedRequest, RecordedRequest];
    expect(list.method).toBe("GET");
    expect(list.path).toBe("/");
    expect(list.query.get("comp")).toBe("list");
    expect(list.query.get("prefix")).toBe(NAME);
    expect(list.query.get("include")).toBe("deleted");
    expect(undelete.method).toBe("PUT");
    expect(undelete.path).toBe(`/${NAME}`);
    expect(undelete.query.get("restype")).toBe("container");
    expect(undelete.query.get("comp")).toBe("undelete");
    expect(undelete.headers["x-ms-deleted-container-name"]).toBe(NAME);
    expect(undelete.headers["x-ms-deleted-container-version"]).toBe("01DA0000000000B2");
    expect(undelete.headers.authorization).toMatch(/^SharedKey devstoreaccount1:/);
  });

  test("with a version, undeletes that version without listing", async () => {
    await using server = await startRecordingServer(softDeletedAccount());
    const restored = await restoreContainer(await server.connect(), NAME, {
      version: "01DA0000000000A1",
    });
    expect(restored).toEqual({ name: NAME, version: "01DA0000000000A1" });
    expect(server.requests.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      `PUT /${NAME}?restype=container&comp=undelete`,
    ]);
    expect(server.requests[0]?.headers["x-ms-deleted-container-version"]).toBe("01DA0000000000A1");
  });

  test("soft delete off (no deleted version listed): NotFound that says why, and no undelete request", async () => {
    await using server = await startRecordingServer((request) =>
      request.query.get("comp") === "list"
        ? listReply([{ name: NAME }], { prefix: NAME })
        : errorReply(500, "UnexpectedRequest"),
    );
    const error = await restoreContainer(await server.connect(), NAME).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "StorageError", code: "NotFound" });
    expect((error as Error).message).toMatch(/no soft-deleted version/);
    expect((error as Error).message).toMatch(/container soft delete is not enabled/);
    expect((error as Error).message).toMatch(/exists and is not deleted/);
    expect(server.requests).toHaveLength(1);
  });

  test("version gone (404 ContainerNotFound): NotFound naming the version and the retention period", async () => {
    await using server = await startRecordingServer(
      softDeletedAccount(
        errorReply(404, "ContainerNotFound", "The specified container does not exist."),
      ),
    );
    const error = await restoreContainer(await server.connect(), NAME, {
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
    await using server = await startRecordingServer(
      softDeletedAccount(
        errorReply(409, "ContainerAlreadyExists", "The specified container already exists."),
      ),
    );
    const error = await restoreContainer(await server.connect(), NAME).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "AlreadyExists", serviceCode: "ContainerAlreadyExists" });
    expect((error as Error).message).toMatch(/only under its original name/);
  });

  test("the signal reaches the undelete request: a hanging restore is cancelled", async () => {
    await using server = await startRecordingServer(softDeletedAccount({ status: 0, hang: true }));
    const controller = new AbortController();
    const pending = restoreContainer(await server.connect(), NAME, { signal: controller.signal });
    while (server.requests.length < 2) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "Aborted" });
    // The request itself was cancelled (the SDK's public undeleteContainer cannot do that).
    while (server.cancelledByClient < 1) await new Promise((r) => setTimeout(r, 10));
  });

  test("an invalid name or version sends no request", async () => {
    await using server = await startRecordingServer();
    const service = await server.connect();
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

describe("contract: listContainers with includeDeleted", () => {
  test("sends include=deleted and returns version, deletedOn and remaining retention days", async () => {
    await using server = await startRecordingServer(softDeletedAccount());
    const items = [];
    for await (const item of listContainers(await server.connect(), {
      prefix: NAME,
      includeDeleted: true,
      includeMetadata: true,
    })) {
      items.push(item);
    }
    const query = server.requests[0]?.query;
    expect(query?.get("include")?.split(",").sort()).toEqual(["deleted", "metadata"]);
    expect(items.map((i) => [i.name, i.deleted, i.version, i.remainingRetentionDays])).toEqual([
      [NAME, true, "01DA0000000000A1", 5],
      [NAME, true, "01DA0000000000B2", 6],
      [`${NAME}-2023`, false, undefined, undefined],
    ]);
    expect(items[1]?.deletedOn).toEqual(new Date("2024-04-30T08:00:00Z"));
  });

  test("byPage passes the continuation token as marker and returns the next one", async () => {
    await using server = await startRecordingServer((request) =>
      request.query.get("marker") === "page-2-token"
        ? listReply([{ name: "c-3" }])
        : listReply([{ name: "c-1" }, { name: "c-2" }], { nextMarker: "page-2-token" }),
    );
    const service = await server.connect();
    const first = await listContainers(service).byPage({ maxPageSize: 2 }).next();
    expect(first.value).toMatchObject({ continuationToken: "page-2-token" });
    expect(server.requests[0]?.query.get("maxresults")).toBe("2");
    const pages = [];
    for await (const page of listContainers(service).byPage({
      continuationToken: "page-2-token",
      maxPageSize: 2,
    })) {
      pages.push(page);
    }
    expect(pages).toHaveLength(1);
    expect(pages[0]?.items.map((i) => i.name)).toEqual(["c-3"]);
    expect(pages[0]?.continuationToken).toBeUndefined();
    expect(server.requests[1]?.query.get("marker")).toBe("page-2-token");
  });
});
