import { describe, expect, test } from "@blobkit/testing/vitest";
import { walkBlobs } from "../src/index.js";
import { collect, putBlobs, service, TREE } from "./helpers-manage.js";

describe("walkBlobs", () => {
  test("walks the tree depth-first with depths, for a tree view", async ({
    azurite,
    container,
  }) => {
    await putBlobs(container.client, TREE);
    const client = (await service(azurite)).getContainerClient(container.name);
    const lines = (await collect(walkBlobs(client))).map(
      (e) => `${"  ".repeat(e.depth)}${e.kind === "prefix" ? "+" : "-"} ${e.name}`,
    );
    expect(lines).toEqual([
      "- a.txt",
      "+ docs/",
      "  + docs/guide/",
      "    - docs/guide/intro.md",
      "    - docs/guide/setup.md",
      "  - docs/readme.md",
      "+ img/",
      "  - img/logo.png",
      "- z.txt",
    ]);
  });

  test("stops at maxDepth and skips what descend() refuses", async ({ azurite, container }) => {
    await putBlobs(container.client, TREE);
    const client = (await service(azurite)).getContainerClient(container.name);
    const shallow = await collect(walkBlobs(client, { maxDepth: 0 }));
    expect(shallow.map((e) => e.name)).toEqual(["a.txt", "docs/", "img/", "z.txt"]);
    const noImages = await collect(walkBlobs(client, { descend: (p) => p !== "img/" }));
    expect(noImages.map((e) => e.name)).not.toContain("img/logo.png");
    expect(noImages.map((e) => e.name)).toContain("img/");
    expect(() => walkBlobs(client, { maxDepth: -1 })).toThrow(/maxDepth/);
  });
});
