// A loopback HTTP server (`startStubServer` of @blobkit/testing) that records every request and
// answers as the test says: for contract tests of what Azurite does not implement, and to prove
// that bad input sends no request at all.
import type { IncomingHttpHeaders } from "node:http";
import type { BlobServiceClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
import { AZURITE_ACCOUNT_NAME, startStubServer } from "@blobkit/testing";

export interface RecordedRequest {
  method: string;
  /** Path without the account segment, e.g. `/reports` or `/`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (to test cancellation). */
  hang?: boolean;
}

export interface RecordingServer extends AsyncDisposable {
  readonly requests: RecordedRequest[];
  readonly blobEndpoint: string;
  /** How many unanswered (hanging) requests the client gave up on by closing the connection. */
  readonly cancelledByClient: number;
  /** A BlobKit client of this server, without retries. */
  connect(): Promise<BlobServiceClient>;
  close(): Promise<void>;
}

/** The documented error response: status, `x-ms-error-code` and the XML error body. */
export function errorReply(status: number, code: string, message = code): Reply {
  return {
    status,
    headers: { "x-ms-error-code": code, "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:00000000-0000-0000-0000-000000000000\nTime:2024-05-01T00:00:00.0000000Z</Message></Error>`,
  };
}

export const ETAG = '"0x8DC0000000000A1"';
export const LAST_MODIFIED = "Wed, 01 May 2024 10:00:00 GMT";

/** A 201 Created as Create Container answers it. */
export function createdReply(): Reply {
  return { status: 201, headers: { etag: ETAG, "last-modified": LAST_MODIFIED } };
}

export interface ListedContainer {
  name: string;
  deleted?: boolean;
  version?: string;
  deletedTime?: string;
  remainingRetentionDays?: number;
  metadata?: Record<string, string>;
}

/** A List Containers response body, as documented. */
export function listReply(
  containers: ListedContainer[],
  options: { prefix?: string; nextMarker?: string } = {},
): Reply {
  const items = containers
    .map(
      (c) =>
        `<Container><Name>${c.name}</Name>${c.deleted ? "<Deleted>true</Deleted>" : ""}${
          c.version ? `<Version>${c.version}</Version>` : ""
        }<Properties><Last-Modified>${LAST_MODIFIED}</Last-Modified><Etag>${ETAG}</Etag><LeaseStatus>unlocked</LeaseStatus><LeaseState>${
          c.deleted ? "expired" : "available"
        }</LeaseState><HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold>${
          c.deletedTime ? `<DeletedTime>${c.deletedTime}</DeletedTime>` : ""
        }${
          c.remainingRetentionDays !== undefined
            ? `<RemainingRetentionDays>${c.remainingRetentionDays}</RemainingRetentionDays>`
            : ""
        }</Properties>${
          c.metadata
            ? `<Metadata>${Object.entries(c.metadata)
                .map(([k, v]) => `<${k}>${v}</${k}>`)
                .join("")}</Metadata>`
            : ""
        }</Container>`,
    )
    .join("");
  return {
    status: 200,
    headers: { "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://127.0.0.1/devstoreaccount1/">${
      options.prefix ? `<Prefix>${options.prefix}</Prefix>` : ""
    }<Containers>${items}</Containers>${
      options.nextMarker ? `<NextMarker>${options.nextMarker}</NextMarker>` : "<NextMarker />"
    }</EnumerationResults>`,
  };
}

/** Starts the server on a free loopback port; `respond` decides each answer. */
export async function startRecordingServer(
  respond: (request: RecordedRequest, index: number) => Reply = () =>
    errorReply(500, "UnexpectedRequest"),
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let cancelledByClient = 0;
  let closing = false;
  const stub = await startStubServer((received, res) => {
    const request: RecordedRequest = {
      method: received.method,
      path: received.path.replace(new RegExp(`^/${AZURITE_ACCOUNT_NAME}`), "") || "/",
      query: received.query,
      headers: received.headers,
      body: received.body.toString("utf8"),
    };
    requests.push(request);
    const reply = respond(request, requests.length - 1);
    if (reply.hang) {
      res.on("close", () => {
        if (!closing) cancelledByClient++;
      });
      return;
    }
    res.writeHead(reply.status, {
      "x-ms-request-id": `req-${requests.length}`,
      "x-ms-version": "2025-11-05",
      ...(reply.headers ?? {}),
    });
    res.end(reply.body ?? "");
  });
  const close = () => {
    closing = true;
    return stub.stop();
  };
  return {
    requests,
    blobEndpoint: stub.blobEndpoint,
    get cancelledByClient() {
      return cancelledByClient;
    },
    connect: () => connect({ method: "emulator", emulator: stub, retry: { maxTries: 1 } }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
