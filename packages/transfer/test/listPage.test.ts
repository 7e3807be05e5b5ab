// The listing folder transfers read themselves (decision 22): the same blobs, directories and
// markers as the SDK's listing of the same container, the documented XML's corner cases, errors as
// StorageErrors, and a body cut off mid-page read again.
import { createHash } from "node:crypto";
import { type BlobItem, ContainerClient, ContainerSASPermissions } from "@azure/storage-blob";
import { isStorageError } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { parseMtime } from "../src/internal/compare.js";
import { parseListing } from "../src/internal/listingXml.js";
import { listPage } from "../src/internal/listPage.js";
import { containerOf } from "./helpers.js";

/** Names XML must escape, or that URLs must encode, or that are outside ASCII. */
const NAMES = [
  "plain.txt",
  "a&b.txt",
  "<angle>.txt",
  'quote".txt',
  "it's.txt",
  "spa ce.txt",
  "100%.txt",
  "#hash?.txt",
  "plus+sign.txt",
  "ünïcödé/ñame.txt",
  "emoji 😀/x.txt",
  "dir/sub/deep.txt",
  "dir/sub/",
  "dir/z&z/",
  "dir/z&z/file",
  "tab\tname.txt",
];

/** What the transfer needs of an SDK item, as `parseListing` gives it. */
function fromSdk(item: BlobItem) {
  const metadata = item.metadata ?? {};
  const key = Object.keys(metadata).find((k) => k.toLowerCase() === "mtime");
  const mtimeMs = parseMtime(key === undefined ? undefined : metadata[key]);
  const md5 = item.properties.contentMD5;
  return {
    name: item.name,
    size: item.properties.contentLength ?? 0,
    lastModified: item.properties.lastModified.getTime(),
    ...(mtimeMs !== undefined ? { mtimeMs } : {}),
    ...(md5 && md5.length > 0 ? { contentMD5: Buffer.from(md5) } : {}),
  };
}

async function fill(container: ContainerClient): Promise<void> {
  let i = 0;
  for (const name of NAMES) {
    const body = Buffer.from(`content of ${name}`.repeat(++i));
    await container.getBlockBlobClient(name).upload(body, body.length, {
      // Half carry the `mtime` metadata (one in upper case), half a stored MD5.
      ...(i % 2 === 0
        ? { metadata: { [i % 4 === 0 ? "MTIME" : "mtime"]: "2026-01-02T03:04:05.123456789Z" } }
        : {}),
      ...(i % 3 === 0
        ? { blobHTTPHeaders: { blobContentMD5: createHash("md5").update(body).digest() } }
        : {}),
    });
  }
}

describe("listPage: the listing folder transfers read themselves", () => {
  test("pages, blobs, directories and markers are the SDK's, flat and by directory, with names XML and URLs must escape", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    await fill(container);
    for (const [prefix, delimiter] of [
      ["", undefined],
      ["", "/"],
      ["dir/", "/"],
      ["dir/", undefined],
      ["ünïcödé/", "/"],
      ["dir/z&z/", undefined],
      ["#hash?", undefined],
    ] as const) {
      const ours = { entries: [] as unknown[], prefixes: [] as string[], pages: 0 };
      let marker: string | undefined;
      do {
        const page = await listPage(container, {
          prefix,
          delimiter,
          maxResults: 3,
          marker,
          signal: undefined,
        });
        ours.entries.push(
          ...page.entries.map((e) => ({
            ...e,
            ...(e.contentMD5 ? { contentMD5: Buffer.from(e.contentMD5) } : {}),
          })),
        );
        ours.prefixes.push(...page.prefixes);
        ours.pages++;
        marker = page.next;
      } while (marker !== undefined);

      const sdk = { entries: [] as unknown[], prefixes: [] as string[], pages: 0 };
      const options = { prefix, includeMetadata: true };
      const pages = delimiter
        ? container.listBlobsByHierarchy(delimiter, options).byPage({ maxPageSize: 3 })
        : container.listBlobsFlat(options).byPage({ maxPageSize: 3 });
      for await (const page of pages) {
        sdk.pages++;
        sdk.entries.push(...page.segment.blobItems.map(fromSdk));
        const segment = page.segment as { blobPrefixes?: { name: string }[] };
        sdk.prefixes.push(...(segment.blobPrefixes ?? []).map((p) => p.name));
      }
      expect(ours, `prefix ${JSON.stringify(prefix)}, delimiter ${delimiter}`).toEqual(sdk);
      expect(ours.entries.length + ours.prefixes.length).toBeGreaterThan(0);
    }
  });

  test("a container client made from a SAS URL: the listing's query joins the SAS's", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    await fill(container);
    const sasUrl = await container.generateSasUrl({
      permissions: ContainerSASPermissions.parse("rl"),
      expiresOn: new Date(Date.now() + 3600_000),
    });
    const bySas = new ContainerClient(sasUrl);
    const names = async (client: ContainerClient) =>
      (await listPage(client, { prefix: "dir/", signal: undefined })).entries.map((e) => e.name);
    expect(await names(bySas)).toEqual(await names(container));
    expect(await names(bySas)).toContain("dir/z&z/file");
  });

  test("a missing container, an aborted signal and a body cut off mid-page", async ({
    azurite,
    container: c,
  }) => {
    const missing = await containerOf(azurite, `${c.name}-missing`);
    const notFound = await listPage(missing, { prefix: "", signal: undefined }).catch(
      (e: unknown) => e,
    );
    expect(isStorageError(notFound, "NotFound"), String(notFound)).toBe(true);
    expect(notFound).toMatchObject({ serviceCode: "ContainerNotFound", statusCode: 404 });

    const container = await containerOf(azurite, c.name);
    await fill(container);
    const aborted = await listPage(container, { prefix: "", signal: AbortSignal.abort() }).catch(
      (e: unknown) => e,
    );
    expect(isStorageError(aborted, "Aborted"), String(aborted)).toBe(true);

    // The service answered 200 and the connection dropped in the body: the page is read again.
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "cut-body", method: "GET", path: /comp=list/, times: 1, cutAfter: 200 }],
    });
    const proxied = await containerOf(azurite, c.name, proxy.url);
    const page = await listPage(proxied, { prefix: "", signal: undefined });
    expect(page.entries.map((e) => e.name)).toEqual(
      (await listPage(container, { prefix: "", signal: undefined })).entries.map((e) => e.name),
    );
    expect(proxy.stats.faults["cut-body"]).toBe(1);
    expect(proxy.stats.requests).toBe(2);
  });
});

describe("parseListing: the documented EnumerationResults", () => {
  const wrap = (blobs: string, tail = "<NextMarker />") =>
    `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://a.blob.core.windows.net/" ContainerName="c"><Prefix>p/</Prefix><MaxResults>2</MaxResults><Delimiter>/</Delimiter><Blobs>${blobs}</Blobs>${tail}</EnumerationResults>`;
  const blob = (name: string, extra = "") =>
    `<Blob><Name>${name}</Name><Properties><Last-Modified>Sun, 06 Dec 2026 10:00:00 GMT</Last-Modified><Etag>0x1</Etag><Content-Length>12</Content-Length><Content-MD5 />${extra}</Properties></Blob>`;

  test("entities, character references, names the service percent-encoded, prefixes, markers and white space", () => {
    const xml = wrap(
      [
        blob("a&amp;b&lt;c&gt;&quot;&apos;&#233;&#x1F600;"),
        `<Blob>\n  <Name Encoded="true">bad%01name%EF%BF%BE</Name>\n  <Properties>\n    <Content-Length> 7 </Content-Length>\n    <Last-Modified>Sun, 06 Dec 2026 10:00:01 GMT</Last-Modified>\n    <Content-MD5>1B2M2Y8AsgTpgAmY7PhCfg==</Content-MD5>\n  </Properties>\n  <Metadata><Other>x</Other><MTime>2026-01-02T03:04:05.5Z</MTime></Metadata>\n</Blob>`,
        "<BlobPrefix><Name>p/q&amp;r/</Name></BlobPrefix>",
        '<BlobPrefix><Name Encoded="true">p/%02/</Name></BlobPrefix>',
      ].join(""),
      "<NextMarker>2!12!MDAw&amp;</NextMarker>",
    );
    expect(parseListing(xml)).toEqual({
      entries: [
        { name: "a&b<c>\"'é😀", size: 12, lastModified: Date.UTC(2026, 11, 6, 10, 0, 0) },
        {
          name: "bad\u0001name\uFFFE",
          size: 7,
          lastModified: Date.UTC(2026, 11, 6, 10, 0, 1),
          mtimeMs: Date.UTC(2026, 0, 2, 3, 4, 5, 500),
          contentMD5: Buffer.from("d41d8cd98f00b204e9800998ecf8427e", "hex"),
        },
      ],
      prefixes: ["p/q&r/", "p/\u0002/"],
      next: "2!12!MDAw&",
    });
    expect(parseListing(wrap("")).next).toBeUndefined();
    expect(parseListing(wrap("", "")).entries).toEqual([]);
  });

  test("what is not a well-formed listing is refused, never guessed at", () => {
    const cases: [string, RegExp][] = [
      ["<Error><Code>X</Code></Error>", /root element is <Error>/],
      ["", /no <EnumerationResults>/],
      [wrap(blob("a")).replace("</Blobs>", ""), /closes/],
      [wrap(blob("a")).slice(0, -5), /cut off|never closed/],
      [
        wrap("<Blob><Properties><Content-Length>1</Content-Length></Properties></Blob>"),
        /has no <Name>/,
      ],
      [wrap(blob("a").replace("<Content-Length>12</Content-Length>", "")), /Content-Length/],
      [wrap(blob("a").replace("12</Content-Length>", "-1</Content-Length>")), /Content-Length/],
      [wrap(blob("a").replace("Sun, 06 Dec 2026 10:00:00 GMT", "yesterday")), /Last-Modified/],
      [wrap(blob("<![CDATA[a]]>")), /CDATA/],
      [wrap('<Blob><Name Encoded="true">%E0%A4%A</Name></Blob>'), /percent-encoding/],
    ];
    for (const [xml, message] of cases) expect(() => parseListing(xml), xml).toThrow(message);
  });
});
