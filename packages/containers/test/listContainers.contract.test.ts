// Contract tests of listContainers for what Azurite does not show: soft-deleted containers
// (include=deleted, with version, deletion time and retention) and continuation tokens as the
// documented marker and NextMarker.
import { startStubServer } from "@blobkit/testing";
import { describe, expect, test } from "vitest";
import { listContainers } from "../src/index.js";
import {
  connectTo,
  listReply,
  replyWith,
  SOFT_DELETED_NAME,
  softDeletedAccount,
} from "./azureResponses.js";

const NAME = SOFT_DELETED_NAME;

describe("contract: listContainers with includeDeleted", () => {
  test("sends include=deleted and returns version, deletedOn and remaining retention days", async () => {
    await using server = await startStubServer(replyWith(softDeletedAccount()));
    const items = [];
    for await (const item of listContainers(await connectTo(server), {
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
    await using server = await startStubServer(
      replyWith((request) =>
        request.query.get("marker") === "page-2-token"
          ? listReply([{ name: "c-3" }])
          : listReply([{ name: "c-1" }, { name: "c-2" }], { nextMarker: "page-2-token" }),
      ),
    );
    const service = await connectTo(server);
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
