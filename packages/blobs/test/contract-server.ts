// Contract tests' server (`startStubServer` of @blobkit/testing): records every request the SDK
// sends and answers with the documented status, headers and XML body that each test scripts.
import type { IncomingMessage } from "node:http";
import { connect } from "@blobkit/auth";
import { AZURITE_ACCOUNT_NAME, startStubServer } from "@blobkit/testing";

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
  const stub = await startStubServer(async (received, res) => {
    const recorded: RecordedRequest = {
      method: received.method,
      path: received.path.replace(`/${AZURITE_ACCOUNT_NAME}`, "") || "/",
      query: received.query,
      headers: received.headers,
      body: received.body.toString("utf8"),
    };
    requests.push(recorded);
    try {
      const answer = await handler(recorded);
      const body = received.method === "HEAD" ? undefined : answer.body;
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
  const service = await connect({ method: "emulator", emulator: stub, retry: { maxTries: 1 } });
  return {
    requests,
    service,
    blobEndpoint: stub.blobEndpoint,
    [Symbol.asyncDispose]: () => stub.stop(),
  };
}
