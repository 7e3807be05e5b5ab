// A loopback HTTP server for contract tests: records every request the SDK sends and answers with
// the documented status, headers and XML body that each test scripts.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { connect } from "@blobkit/auth";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "@blobkit/testing";

export interface RecordedRequest {
  method: string;
  /** Path without the account segment, e.g. `/c/b`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export type Handler = (request: RecordedRequest) => Answer | Promise<Answer>;

/** An error answer as the service sends it. */
export function errorAnswer(status: number, code: string, message = code): Answer {
  return {
    status,
    headers: { "x-ms-error-code": code, "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}
RequestId:00000000-0000-0000-0000-000000000000
Time:2024-01-01T00:00:00.0000000Z</Message></Error>`,
  };
}

/** Headers of a HEAD on a blob (Get Blob Properties). */
export function blobHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    "content-length": "5",
    "x-ms-blob-type": "BlockBlob",
    etag: '"0x8DC0000000000001"',
    "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT",
    "x-ms-access-tier": "Hot",
    ...extra,
  };
}

export async function startContractServer(handler: Handler) {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname.replace(`/${AZURITE_ACCOUNT_NAME}`, "") || "/",
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(recorded);
    try {
      const answer = await handler(recorded);
      const body = req.method === "HEAD" ? undefined : answer.body;
      res.writeHead(answer.status, {
        "x-ms-request-id": `req-${requests.length}`,
        "x-ms-version": "2025-01-05",
        ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}),
        ...answer.headers,
      });
      res.end(body);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT_NAME}`;
  const service = await connect({
    method: "emulator",
    emulator: { blobEndpoint, accountName: AZURITE_ACCOUNT_NAME, accountKey: AZURITE_ACCOUNT_KEY },
    retry: { maxTries: 1 },
  });
  return {
    requests,
    service,
    blobEndpoint,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
