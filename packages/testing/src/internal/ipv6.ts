// Reaching an IPv6 literal host (http://[::1]:5123) with @azure/storage-blob. Its Node.js HTTP
// client passes the URL's host name with its brackets to `http.request`, which looks "[::1]" up
// as a name and fails (ENOTFOUND). An agent whose lookup drops the brackets (and whose TLS check
// compares the bare address) lets the SDK's requests through unchanged. @blobkit/auth has the same
// agents (internal/ipv6Host.ts) as a pipeline policy: this package depends on no BlobKit package
// (it serves users of the bare SDK too), so the few lines stand in both.
import { lookup } from "node:dns";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { LookupFunction } from "node:net";
import { checkServerIdentity } from "node:tls";
import type { RequestPolicyFactory } from "@azure/storage-blob";

const bare = (host: string) => host.replace(/^\[(.*)\]$/, "$1");

let agents: { http: HttpAgent; https: HttpsAgent } | undefined;

/** Keep-alive agents that connect to bracketed IPv6 literal hosts. */
export function ipv6Agents(): { http: HttpAgent; https: HttpsAgent } {
  agents ??= (() => {
    const options = {
      keepAlive: true,
      lookup: ((host, options, callback) =>
        lookup(bare(host), options, callback)) satisfies LookupFunction,
    };
    return {
      http: new HttpAgent(options),
      https: new HttpsAgent({
        ...options,
        checkServerIdentity: (host, certificate) => checkServerIdentity(bare(host), certificate),
      }),
    };
  })();
  return agents;
}

/** A request policy (the SDK's pipeline factories) that sends requests through those agents. */
export const ipv6AgentPolicy: RequestPolicyFactory = {
  create: (next) => ({
    sendRequest: (request) => {
      request.agent ??= request.url.startsWith("https:") ? ipv6Agents().https : ipv6Agents().http;
      return next.sendRequest(request);
    },
  }),
};
