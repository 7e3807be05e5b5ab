import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/list-blobs.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the list-blobs sample lists flat, by prefix, by page, by folder and as a tree", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const result = await main(env);
  expect(result.total).toEqual({ count: 5, bytes: 20 });
  expect(result.reports2024).toEqual([
    { name: "reports/2024/q1.pdf", owner: "finance", status: "final" },
    { name: "reports/2024/q2.pdf", owner: "sales", status: "draft" },
  ]);
  expect(result.firstPage.names).toEqual(["readme.txt", "reports/2023/q4.pdf"]);
  expect(result.firstPage.next).toBeTypeOf("string");
  expect(result.secondPage.names).toEqual(["reports/2024/q1.pdf", "reports/2024/q2.pdf"]);
  expect(result.reportsFolder).toEqual(["reports/2023/ (folder)", "reports/2024/ (folder)"]);
  expect(result.tree).toEqual([
    "readme.txt",
    "reports/",
    "  2023/",
    "    q4.pdf",
    "  2024/",
    "    q1.pdf",
    "    q2.pdf",
    "tmp/",
  ]);
});
