// Bad input is rejected before any request: every operation is pointed at a loopback server that
// records requests, and must fail with InvalidArgument naming the field while the server sees
// nothing. Plus unit tests of the validators and a check that no partial state is left behind.
import type { BlobServiceClient } from "@azure/storage-blob";
import { connect, StorageError } from "@blobkit/auth";
import { uniqueContainerName } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { afterAll, beforeAll } from "vitest";
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
  validateAccessPolicy,
  validateContainerName,
  validateMetadata,
} from "../src/index.js";
import { type RecordingServer, startRecordingServer } from "./recordingServer.js";

let server: RecordingServer;
let service: BlobServiceClient;
beforeAll(async () => {
  server = await startRecordingServer();
  service = await server.connect();
});
afterAll(() => server.close());

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

describe("no partial state is left behind", () => {
  test("a create with invalid metadata creates no container", async ({ azurite }) => {
    const live = await connect({ method: "emulator", emulator: azurite });
    const name = uniqueContainerName("partial");
    await expect(
      createContainer(live, name, { metadata: { ok: "1", "bad-name": "2" } }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
    const found = [];
    for await (const item of listContainers(live, { prefix: name })) found.push(item.name);
    expect(found).toEqual([]);
  });

  test("invalid metadata leaves the current metadata as it was", async ({ container }) => {
    await setContainerMetadata(container.client, { keep: "me" });
    await expect(
      setContainerMetadata(container.client, { keep: "changed", class: "keyword" }),
    ).rejects.toMatchObject({ field: "metadata.class" });
    expect((await getContainerProperties(container.client)).metadata).toEqual({ keep: "me" });
  });
});

describe("validators", () => {
  test("validateContainerName accepts the special containers and boundary lengths", () => {
    for (const name of ["$root", "$web", "$logs", "abc", "a".repeat(63), "a-b-c", "0-9"]) {
      expect(validateContainerName(name)).toBe(name);
    }
    expect(() => validateContainerName("a".repeat(64))).toThrow(/3-63 characters long, got 64/);
  });

  test("validateMetadata keeps a __proto__ entry and rejects a Map instead of sending nothing", () => {
    const parsed = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string>;
    const checked = validateMetadata(parsed);
    expect(Object.keys(checked)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(checked)).toBe(Object.prototype);
    expect(() => validateMetadata(new Map([["a", "b"]]))).toThrow(/plain object/);
    expect(() => validateMetadata(null)).toThrow(/must be an object/);
    expect(() => validateMetadata({ a: 1 })).toThrow(/value must be a string, got number/);
    expect(() => validateMetadata({ a: " x" })).toThrow(/start or end with spaces/);
  });

  test("validateAccessPolicy orders permissions and checks ids", () => {
    expect(
      validateAccessPolicy({ publicAccess: "blob", policies: [{ id: "p", permissions: "lr" }] }),
    ).toEqual({ publicAccess: "blob", policies: [{ id: "p", permissions: "rl" }] });
    expect(
      validateAccessPolicy({
        publicAccess: "none",
        policies: [{ id: "all", permissions: "iemftlyxdwcar" }],
      }).policies[0]?.permissions,
    ).toBe("racwdxyltfmei");
    expect(() =>
      validateAccessPolicy({ publicAccess: "none", policies: [{ id: "x".repeat(65) }] }),
    ).toThrow(/1-64 characters, got 65/);
    expect(() =>
      validateAccessPolicy({ publicAccess: "none", policies: [{ id: "a" }, { id: "a" }] }),
    ).toThrow(/policies\[1\]\.id.*used by another policy/);
    expect(() =>
      validateAccessPolicy({ publicAccess: "none", policies: [{ id: "a", permissions: "rr" }] }),
    ).toThrow(/appears twice/);
    expect(() =>
      validateAccessPolicy({
        publicAccess: "none",
        policies: [{ id: "a", expiresOn: new Date("x") }],
      }),
    ).toThrow(/expiresOn: must be a valid Date/);
  });
});
