import { request as httpRequest } from "node:http";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import {
  AZURITE_ACCOUNT_KEY,
  AZURITE_ACCOUNT_NAME,
  type StubServer,
  startStubServer,
} from "../src/index.js";
import { describe, expect, test } from "../src/vitest.js";

const AZURE_HEADERS = { "x-ms-request-id": "r-1", "x-ms-version": "2025-11-05" };

/** A key-authorized SDK client of the stub, without retries. */
function clientOf(stub: StubServer): BlobServiceClient {
  return new BlobServiceClient(
    stub.blobEndpoint,
    new StorageSharedKeyCredential(stub.accountName, stub.accountKey),
    { retryOptions: { maxTries: 1 } },
  );
}

describe("startStubServer", () => {
  test("listens on a loopback port with the development account, ready for connect()", async () => {
    await using stub = await startStubServer((_request, response) => response.end());
    expect(stub.blobEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    expect(stub.url).toBe(stub.blobEndpoint);
    expect(stub.accountName).toBe(AZURITE_ACCOUNT_NAME);
    expect(stub.accountKey).toBe(AZURITE_ACCOUNT_KEY);
    expect(stub.https).toBe(false);
    expect(stub.requests).toEqual([]);
    expect(stub.cancelledByClient).toBe(0);
  });

  test("records the exact request and the SDK reads the handler's documented answer", async () => {
    await using stub = await startStubServer((_request, response) => {
      response
        .writeHead(201, {
          ...AZURE_HEADERS,
          etag: '"0x8DC0000000000A1"',
          "last-modified": "Wed, 01 May 2024 10:00:00 GMT",
        })
        .end();
    });
    const created = await clientOf(stub).getContainerClient("reports").create();
    expect(created.etag).toBe('"0x8DC0000000000A1"');
    expect(created.requestId).toBe("r-1");
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request?.method).toBe("PUT");
    expect(request?.url).toBe("/devstoreaccount1/reports?restype=container");
    expect(request?.path).toBe("/devstoreaccount1/reports");
    expect(request?.query.get("restype")).toBe("container");
    expect(request?.headers.authorization).toMatch(/^SharedKey devstoreaccount1:/);
    expect(request?.headers["x-ms-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(request?.body).toEqual(Buffer.alloc(0));
  });

  test("records the body as bytes, the query parsed, and the headers lower-cased", async () => {
    await using stub = await startStubServer((request, response) => {
      response
        .writeHead(201, {
          ...AZURE_HEADERS,
          etag: '"0x1"',
          "last-modified": "Wed, 01 May 2024 10:00:00 GMT",
          "content-md5": request.headers["content-md5"] ?? "",
        })
        .end();
    });
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    await clientOf(stub)
      .getContainerClient("data")
      .getBlockBlobClient("a b/c.bin")
      .upload(bytes, bytes.length, { metadata: { Owner: "Ops" } });
    const [request] = stub.requests;
    expect(request?.method).toBe("PUT");
    expect(request?.path).toBe("/devstoreaccount1/data/a%20b/c.bin");
    expect(request?.resourcePath).toBe("/data/a%20b/c.bin");
    expect(request?.body).toEqual(bytes);
    expect(request?.headers["content-length"]).toBe("5");
    expect(request?.headers["x-ms-blob-type"]).toBe("BlockBlob");
    expect(request?.headers["x-ms-meta-owner"]).toBe("Ops");
    expect(Object.keys(request?.headers ?? {}).every((name) => name === name.toLowerCase())).toBe(
      true,
    );
  });

  test("records every request in order, including errors answered by an async handler", async () => {
    await using stub = await startStubServer(async (request, response) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (request.method === "HEAD") {
        response.writeHead(404, { ...AZURE_HEADERS, "x-ms-error-code": "BlobNotFound" }).end();
        return;
      }
      response
        .writeHead(409, {
          ...AZURE_HEADERS,
          "x-ms-error-code": "ContainerAlreadyExists",
          "content-type": "application/xml",
        })
        .end(
          '<?xml version="1.0" encoding="utf-8"?><Error><Code>ContainerAlreadyExists</Code><Message>The specified container already exists.</Message></Error>',
        );
    });
    const container = clientOf(stub).getContainerClient("c");
    expect(await container.getBlobClient("missing").exists()).toBe(false);
    await expect(container.create()).rejects.toMatchObject({
      statusCode: 409,
      code: "ContainerAlreadyExists",
    });
    expect(stub.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "HEAD /devstoreaccount1/c/missing",
      "PUT /devstoreaccount1/c?restype=container",
    ]);
  });

  test("resourcePath drops the account segment: service, container, blob, other paths", async () => {
    await using stub = await startStubServer((_request, response) => response.end());
    const { port } = new URL(stub.blobEndpoint);
    for (const path of [
      "/devstoreaccount1?comp=list",
      "/devstoreaccount1/?comp=list",
      "/devstoreaccount1/reports?restype=container",
      "/devstoreaccount1/reports/a%20b.txt",
      "/devstoreaccount10/x",
      "/other",
    ]) {
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port, path }, (response) => {
          response.resume();
          response.on("end", resolve);
        });
        req.on("error", reject);
        req.end();
      });
    }
    expect(stub.requests.map((r) => r.resourcePath)).toEqual([
      "/",
      "/",
      "/reports",
      "/reports/a%20b.txt",
      "/devstoreaccount10/x",
      "/other",
    ]);
  });

  test("cancelledByClient counts unanswered requests the client gave up on, not answered ones nor stop()", async () => {
    const stub = await startStubServer((request, response) => {
      // Only /answer is answered; the rest hang like a stuck service.
      if (request.path === "/answer") response.end("ok");
    });
    const { port } = new URL(stub.blobEndpoint);
    const send = (path: string, signal?: AbortSignal) =>
      new Promise<string>((resolve) => {
        const req = httpRequest(
          { host: "127.0.0.1", port, path, agent: false, ...(signal ? { signal } : {}) },
          (response) => {
            response.resume();
            response.on("end", () => resolve("answered"));
          },
        );
        req.on("error", (error) => resolve(error.name));
        req.end();
      });
    expect(await send("/answer")).toBe("answered");
    const controller = new AbortController();
    const abandoned = send("/hang", controller.signal);
    const leftOpen = send("/hang");
    await expect.poll(() => stub.requests.length).toBe(3);
    controller.abort();
    expect(await abandoned).toBe("AbortError");
    await expect.poll(() => stub.cancelledByClient).toBe(1);
    await stub.stop();
    await leftOpen;
    expect(stub.cancelledByClient).toBe(1);
  });

  test("a handler that throws answers 500 with its message instead of hanging", async () => {
    await using stub = await startStubServer(() => {
      throw new Error("no answer scripted");
    });
    const error = await clientOf(stub)
      .getContainerClient("c")
      .create()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 500 });
    expect(stub.requests).toHaveLength(1);
  });

  test("stop() closes unanswered requests and the port, and is safe to call twice", async () => {
    const stub = await startStubServer(() => {
      // never answers, like a stuck service
    });
    const { port } = new URL(stub.blobEndpoint);
    const pending = new Promise<string>((resolve) => {
      const req = httpRequest({ host: "127.0.0.1", port, method: "GET", path: "/x" }, () =>
        resolve("answered"),
      );
      req.on("error", (error) => resolve(error.message));
      req.end();
    });
    await expect.poll(() => stub.requests.length).toBe(1);
    await Promise.all([stub.stop(), stub.stop()]);
    await stub[Symbol.asyncDispose]();
    expect(await pending).toMatch(/socket hang up|ECONNRESET/);
    const refused = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/" }, () => resolve("answered"));
      req.on("error", (error) => resolve((error as NodeJS.ErrnoException).code ?? ""));
      req.end();
    });
    expect(refused).toBe("ECONNREFUSED");
  });

  test("serves HTTPS with a given certificate, so token credentials can be sent", async ({
    azuriteHttps,
  }) => {
    await using stub = await startStubServer(
      (_request, response) => {
        response
          .writeHead(201, {
            ...AZURE_HEADERS,
            etag: '"0x1"',
            "last-modified": "Wed, 01 May 2024 10:00:00 GMT",
          })
          .end();
      },
      {
        https: {
          certificate: azuriteHttps.certificate ?? "",
          privateKey: azuriteHttps.certificateKey ?? "",
        },
      },
    );
    expect(stub.blobEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    expect(stub.https).toBe(true);
    await clientOf(stub).getContainerClient("secure").create();
    expect(stub.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "PUT /devstoreaccount1/secure?restype=container",
    ]);
  });
});
