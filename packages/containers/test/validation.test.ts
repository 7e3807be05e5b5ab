// Bad input is rejected before any request: every operation is pointed at a stub server that
// records requests, and must fail with InvalidArgument naming the field while the server sees
// nothing. (The validators' own tests are in validate*.test.ts; that a rejected create or write
// leaves no partial state is in createContainer.test.ts and setContainerMetadata.test.ts.)
import type { BlobServiceClient } from "@azure/storage-blob";
import { StorageError } from "@blobkit/auth";
import { type StubServer, startStubServer } from "@blobkit/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createContainer,
  createContainerIfNotExists,
  deleteContainer,
  deleteContainerIfExists,
  getContainerAccessPolicy,
  getContainerProperties,
  listContainers,
  MAX_METADATA_BYTES,
  restoreContainer,
  setContainerAccessPolicy,
  setContainerMetadata,
  updateContainerMetadata,
} from "../src/index.js";
import { connectTo, replyWith } from "./azureResponses.js";

let server: StubServer;
let service: BlobServiceClient;
beforeAll(async () => {
  server = await startStubServer(replyWith());
  service = await connectTo(server);
});
afterAll(() => server.stop());

// biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types, as JavaScript callers may pass
type Loose = any;

const cases: Array<[string, () => Promise<unknown>, string, RegExp]> = [
  [
    "create: uppercase name",
    () => createContainer(service, "Reports"),
    "container name",
    /lowercase/,
  ],
  [
    "create: 2 characters",
    () => createContainer(service, "ab"),
    "container name",
    /3-63 characters/,
  ],
  [
    "create: double hyphen",
    () => createContainer(service, "a--b"),
    "container name",
    /consecutive hyphens/,
  ],
  [
    "create: not a string",
    () => createContainer(service, 42 as Loose),
    "container name",
    /must be a string/,
  ],
  [
    "create: metadata name with a hyphen",
    () => createContainer(service, "reports", { metadata: { "content-type": "x" } }),
    "metadata.content-type",
    /not a C# identifier/,
  ],
  [
    "create: public access typo",
    () => createContainer(service, "reports", { publicAccess: "public" as Loose }),
    "publicAccess",
    /"none", "blob" or "container"/,
  ],
  [
    "create: negative wait",
    () => createContainer(service, "reports", { retryWhileBeingDeleted: { maxWaitMs: -1 } }),
    "retryWhileBeingDeleted.maxWaitMs",
    /integer from 0/,
  ],
  [
    "create: not a service",
    () => createContainer({} as Loose, "reports"),
    "service",
    /BlobServiceClient/,
  ],
  [
    "createIfNotExists: trailing hyphen",
    () => createContainerIfNotExists(service, "reports-"),
    "container name",
    /start and end with a letter or digit/,
  ],
  [
    "delete: bad container name",
    () => deleteContainer(service.getContainerClient("Bad_Name")),
    "container name",
    /contains "B"/,
  ],
  [
    "delete: empty lease id",
    () => deleteContainer(service.getContainerClient("reports"), { leaseId: "" }),
    "leaseId",
    /non-empty/,
  ],
  [
    "deleteIfExists: not a container client",
    () => deleteContainerIfExists("reports" as Loose),
    "container",
    /ContainerClient/,
  ],
  [
    "properties: bad options",
    () => getContainerProperties(service.getContainerClient("reports"), { signal: "x" as Loose }),
    "options.signal",
    /AbortSignal/,
  ],
  [
    "metadata: value with a newline",
    () => setContainerMetadata(service.getContainerClient("reports"), { note: "a\nb" }),
    "metadata.note",
    /printable ASCII/,
  ],
  [
    "metadata: case-insensitive duplicate",
    () => setContainerMetadata(service.getContainerClient("reports"), { Owner: "a", owner: "b" }),
    "metadata.owner",
    /duplicates "Owner"/,
  ],
  [
    "metadata: over 8 KiB",
    () =>
      setContainerMetadata(service.getContainerClient("reports"), {
        big: "x".repeat(MAX_METADATA_BYTES),
      }),
    "metadata",
    /8 KiB/,
  ],
  [
    "update: not a function",
    () => updateContainerMetadata(service.getContainerClient("reports"), {} as Loose),
    "update",
    /function/,
  ],
  [
    "update: maxTries 0",
    () => updateContainerMetadata(service.getContainerClient("reports"), (m) => m, { maxTries: 0 }),
    "maxTries",
    /1 to 20/,
  ],
  [
    "access policy: six policies",
    () =>
      setContainerAccessPolicy(service.getContainerClient("reports"), {
        publicAccess: "none",
        policies: Array.from({ length: 6 }, (_, i) => ({ id: `p${i}` })),
      }),
    "policies",
    /at most 5/,
  ],
  [
    "access policy: unknown permission",
    () =>
      setContainerAccessPolicy(service.getContainerClient("reports"), {
        publicAccess: "none",
        policies: [{ id: "p", permissions: "rwz" }],
      }),
    "policies[0].permissions",
    /"z" is not a container permission/,
  ],
  [
    "access policy: start after expiry",
    () =>
      setContainerAccessPolicy(service.getContainerClient("reports"), {
        publicAccess: "none",
        policies: [{ id: "p", startsOn: new Date(2030, 0, 2), expiresOn: new Date(2030, 0, 1) }],
      }),
    "policies[0].startsOn",
    /must be before expiresOn/,
  ],
  [
    "access policy: missing public access",
    () =>
      setContainerAccessPolicy(service.getContainerClient("reports"), { policies: [] } as Loose),
    "publicAccess",
    /pass the current level to keep it/,
  ],
  [
    "get access policy: bad lease id",
    () => getContainerAccessPolicy(service.getContainerClient("reports"), { leaseId: 5 as Loose }),
    "leaseId",
    /non-empty string/,
  ],
  [
    "properties: CR/LF in the lease id",
    () =>
      getContainerProperties(service.getContainerClient("reports"), {
        leaseId: "id\r\nx-injected: 1",
      }),
    "leaseId",
    /not a valid HTTP header value/,
  ],
  [
    "properties: non-ASCII lease id",
    () => getContainerProperties(service.getContainerClient("reports"), { leaseId: "lease-é" }),
    "leaseId",
    /not a valid HTTP header value/,
  ],
  [
    "delete: non-ASCII lease id",
    () => deleteContainer(service.getContainerClient("reports"), { leaseId: "lease-é" }),
    "leaseId",
    /not a valid HTTP header value/,
  ],
  [
    "set metadata: CR/LF in ifMatch",
    () =>
      setContainerMetadata(
        service.getContainerClient("reports"),
        { a: "1" },
        {
          ifMatch: '"0x1"\r\nx-injected: 1',
        },
      ),
    "ifMatch",
    /not a valid HTTP header value/,
  ],
  [
    "set metadata: non-ASCII ifMatch",
    () =>
      setContainerMetadata(
        service.getContainerClient("reports"),
        { a: "1" },
        { ifMatch: '"0x1é"' },
      ),
    "ifMatch",
    /not a valid HTTP header value/,
  ],
  [
    "update: non-ASCII lease id",
    () =>
      updateContainerMetadata(service.getContainerClient("reports"), (m) => m, {
        leaseId: "lease-é",
      }),
    "leaseId",
    /not a valid HTTP header value/,
  ],
  [
    "access policy: non-ASCII lease id",
    () =>
      setContainerAccessPolicy(
        service.getContainerClient("reports"),
        { publicAccess: "none", policies: [] },
        { leaseId: "lease-é" },
      ),
    "leaseId",
    /not a valid HTTP header value/,
  ],
  ["restore: bad name", () => restoreContainer(service, "-x-"), "container name", /start and end/],
];

describe("invalid input is rejected before any request", () => {
  test.each(cases)("%s", async (_label, run, field, message) => {
    const before = server.requests.length;
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: "InvalidArgument", field });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^Invalid /);
    expect(server.requests.length).toBe(before);
  });

  test("listing options are checked when listContainers is called", () => {
    expect(() => listContainers(service, { prefix: "A" })).toThrow(StorageError);
    expect(() => listContainers(service, { pageSize: -1 })).toThrow(/pageSize/);
    expect(server.requests).toHaveLength(0);
  });

  test("an already aborted signal sends nothing", async () => {
    const signal = AbortSignal.abort();
    await expect(createContainer(service, "reports", { signal })).rejects.toMatchObject({
      code: "Aborted",
    });
    await expect(
      getContainerProperties(service.getContainerClient("reports"), { signal }),
    ).rejects.toMatchObject({ code: "Aborted" });
    expect(server.requests).toHaveLength(0);
  });
});
