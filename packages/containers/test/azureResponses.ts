// Azure's documented responses to container requests, for contract tests on `startStubServer` of
// @blobkit/testing (which records every request): a handler built from a reply function, the
// replies themselves, and the request path as Azure's REST docs write it.
import type { BlobServiceClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
import {
  AZURITE_ACCOUNT_NAME,
  type StubHandler,
  type StubRequest,
  type StubServer,
} from "@blobkit/testing";

/** What the stub answers to one request. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (to test cancellation). */
  hang?: boolean;
}

/** A stub handler that answers each request (numbered from 0) with `respond`'s reply. */
export function replyWith(
  respond: (request: StubRequest, index: number) => Reply = () =>
    errorReply(500, "UnexpectedRequest"),
  hooks: {
    /** Called when the client closes the connection of a request left unanswered (`hang`). */
    onHangUp?: () => void;
  } = {},
): StubHandler {
  let index = 0;
  return (request, response) => {
    const number = index++;
    const reply = respond(request, number);
    if (reply.hang) {
      response.on("close", () => hooks.onHangUp?.());
      return;
    }
    response.writeHead(reply.status, {
      "x-ms-request-id": `req-${number + 1}`,
      "x-ms-version": "2025-11-05",
      ...(reply.headers ?? {}),
    });
    response.end(reply.body ?? "");
  };
}

/** A BlobKit client of the stub, without retries, so each call sends one request. */
export function connectTo(stub: StubServer): Promise<BlobServiceClient> {
  return connect({ method: "emulator", emulator: stub, retry: { maxTries: 1 } });
}

/** The request's path without the account segment, e.g. `/reports` or `/`. */
export function pathOf(request: StubRequest): string {
  return request.path.replace(new RegExp(`^/${AZURITE_ACCOUNT_NAME}`), "") || "/";
}

/** `METHOD /path?query`, the account segment left out, e.g. `PUT /reports?restype=container`. */
export function describeRequest(request: StubRequest): string {
  return `${request.method} ${pathOf(request)}?${request.query}`;
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

export const SOFT_DELETED_NAME = "invoices";

/**
 * The account as soft delete leaves it: a live look-alike and two deleted versions of
 * {@link SOFT_DELETED_NAME}; an undelete gets `undeleteReply`.
 */
export function softDeletedAccount(undeleteReply: Reply = { status: 201 }) {
  const name = SOFT_DELETED_NAME;
  return (request: StubRequest): Reply => {
    if (request.method === "GET" && request.query.get("comp") === "list") {
      return listReply(
        [
          {
            name,
            deleted: true,
            version: "01DA0000000000A1",
            deletedTime: "Mon, 29 Apr 2024 08:00:00 GMT",
            remainingRetentionDays: 5,
          },
          {
            name,
            deleted: true,
            version: "01DA0000000000B2",
            deletedTime: "Tue, 30 Apr 2024 08:00:00 GMT",
            remainingRetentionDays: 6,
          },
          { name: `${name}-2023` },
        ],
        { prefix: name },
      );
    }
    if (request.method === "PUT" && request.query.get("comp") === "undelete") return undeleteReply;
    return errorReply(500, "UnexpectedRequest");
  };
}
