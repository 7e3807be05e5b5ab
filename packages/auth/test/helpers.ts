// Test helpers: SAS tokens signed with the emulator's key, loopback servers, secret checks.
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  generateAccountSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import type { AzuriteConnection } from "@blobkit/testing";

export function accountSas(
  azurite: AzuriteConnection,
  permissions: string,
  expiresInMs = 3_600_000,
): string {
  return generateAccountSASQueryParameters(
    {
      expiresOn: new Date(Date.now() + expiresInMs),
      startsOn: new Date(Date.now() - 15 * 60_000),
      permissions: AccountSASPermissions.parse(permissions),
      resourceTypes: AccountSASResourceTypes.parse("sco").toString(),
      services: AccountSASServices.parse("b").toString(),
    },
    new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey),
  ).toString();
}

/** A TCP server that accepts connections, reads and discards what is sent, and never answers. */
export async function startBlackHole(): Promise<{
  url: string;
  close(): Promise<void>;
  connections: number;
}> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    // Bodies flow, so a client's upload progress is never held up by full socket buffers.
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/devstoreaccount1`,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP server that answers `status` to the first `failures` requests, then forwards to `target`. */
export async function startFlakyProxy(
  target: string,
  failures: number,
  status = 503,
): Promise<{ url: string; requests: number; close(): Promise<void> }> {
  const targetUrl = new URL(target);
  let requests = 0;
  const server: HttpServer = createHttpServer(async (req, res) => {
    requests++;
    if (requests <= failures) {
      req.resume();
      res.writeHead(status, { "x-ms-error-code": "ServerBusy" }).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstream = await fetch(`${targetUrl.origin}${req.url}`, {
      method: req.method ?? "GET",
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(([k, v]) => typeof v === "string" && k !== "host"),
      ) as Record<string, string>,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${targetUrl.pathname}`,
    get requests() {
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export { expectNoSecrets } from "@blobkit/testing/vitest";
