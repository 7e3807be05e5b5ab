// The browser's platform.ts (see there), which bundlers load in its place (the `browser`
// condition of `#platform`). Each export has the type of its Node.js twin, so the two cannot drift
// apart without the type check failing.
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { accountKeyInBrowser } from "./accountKeyInBrowser.js";
import type * as Node from "./platform.js";

/** Browsers get no Shared Key: an account key in a web page is readable by every visitor. */
export const refuseKeyInBrowser: typeof Node.refuseKeyInBrowser = (connectionString) => {
  if (/(^|;)(AccountKey|UseDevelopmentStorage)=/i.test(connectionString)) {
    throw accountKeyInBrowser("connectionString");
  }
};

/** `fetch` says nothing about a request body until the response arrives. */
export const UPLOAD_PROGRESS_REPORTED: typeof Node.UPLOAD_PROGRESS_REPORTED = false;

/** Name of the (here empty) policy Node.js needs for bracketed IPv6 hosts. */
const IPV6_HOST_POLICY_NAME = "blobkitIpv6HostPolicy";

/** Browsers connect to bracketed IPv6 hosts themselves: the policy passes requests on. */
export const createIpv6HostPolicy: typeof Node.createIpv6HostPolicy = (): PipelinePolicy => ({
  name: IPV6_HOST_POLICY_NAME,
  sendRequest: (request, next) => next(request),
});

/** Refuses: see {@link refuseKeyInBrowser}. */
export const sharedKeyCredential: typeof Node.sharedKeyCredential = () => {
  throw accountKeyInBrowser("accountKey");
};

/** Never reached in a browser (no Shared Key credential exists there); returns its argument. */
export const withKeyObject: typeof Node.withKeyObject = (credential) => credential;

/** The SDK's browser build has no Shared Key credential. */
export const isSharedKeyCredential: typeof Node.isSharedKeyCredential = (
  _credential: unknown,
): _credential is never => false;

/** The browser's HTTP client sends a body as given. */
export const chunkedBody: typeof Node.chunkedBody = () => undefined;

/** A web page has no environment variables. */
export const environment: typeof Node.environment = () => ({});

/** No host name is visible to a web page. */
export const hostName: typeof Node.hostName = () => "";
