// Lets the SDK reach an IPv6 literal host (http://[::1]:10000, an emulator on the IPv6 loopback).
// Its Node.js HTTP client hands the URL's host name with its brackets to `http.request`, which
// looks "[::1]" up as a name and fails with ENOTFOUND. For those requests only, this policy sets
// an agent whose lookup drops the brackets (and whose TLS check compares the bare address).
// @blobkit/testing, which depends on no BlobKit package, has the same agents (internal/ipv6.ts).
import { lookup } from "node:dns";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { LookupFunction } from "node:net";
import { checkServerIdentity } from "node:tls";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

/** Name of the policy in the SDK pipeline. */
export const IPV6_HOST_POLICY_NAME = "blobkitIpv6HostPolicy";

const bare = (host: string) => host.replace(/^\[(.*)\]$/, "$1");

let agents: { http: HttpAgent; https: HttpsAgent } | undefined;

function agentsForIpv6(): { http: HttpAgent; https: HttpsAgent } {
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

/** Sends requests to bracketed IPv6 hosts through agents that can connect to them. */
export function createIpv6HostPolicy(): PipelinePolicy {
  return {
    name: IPV6_HOST_POLICY_NAME,
    sendRequest(request, next) {
      // A cheap test first: almost every request goes to a named host.
      if (!request.agent && /^https?:\/\/\[/.test(request.url)) {
        request.agent = request.url.startsWith("https:")
          ? agentsForIpv6().https
          : agentsForIpv6().http;
      }
      return next(request);
    },
  };
}
