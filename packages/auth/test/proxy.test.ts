// A proxy that refuses (src/internal/proxy.ts, toStorageError): the NetworkError names the proxy
// and the setting it came from, never the blob endpoint it was on the way to, nor its password.
import { startSilentServer } from "@blobkit/testing";
import { describe, expect, test } from "vitest";
import { connect, diagnoseConnection } from "../src/index.js";
import { expectNoSecrets } from "./helpers.js";

/** A loopback port nothing listens on (it did a moment ago). */
async function closedPort(): Promise<number> {
  const server = await startSilentServer();
  await server.stop();
  return server.port;
}

// The SDK reads NO_PROXY once per process; a machine that bypasses these hosts cannot show it.
const noProxy = process.env.NO_PROXY ?? process.env.no_proxy ?? "";

describe("a refused proxy is named as the proxy", () => {
  test.skipIf(/windows\.net|\*/.test(noProxy))(
    "HTTPS_PROXY pointing at a closed port: the message names the proxy and HTTPS_PROXY, not the account's host",
    async () => {
      const port = await closedPort();
      const saved = process.env.HTTPS_PROXY;
      process.env.HTTPS_PROXY = `http://proxyuser:proxy-secret-1@127.0.0.1:${port}`;
      let service: Awaited<ReturnType<typeof connect>>;
      try {
        // The SDK takes the proxy from the environment when the client is built.
        service = await connect({
          method: "accountKey",
          accountName: "myaccount",
          accountKey: Buffer.alloc(64, 5).toString("base64"),
          retry: { maxTries: 1 },
        });
      } finally {
        if (saved === undefined) delete process.env.HTTPS_PROXY;
        else process.env.HTTPS_PROXY = saved;
      }
      const { error } = await diagnoseConnection(service);
      expect(error?.code).toBe("NetworkError");
      expect(error?.message).toContain(
        `could not connect to the proxy 127.0.0.1:${port} (from HTTPS_PROXY) on the way to myaccount.blob.core.windows.net (ECONNREFUSED)`,
      );
      expect(error?.message).not.toMatch(/could not reach myaccount/);
      expectNoSecrets(error, ["proxy-secret-1", "proxyuser"]);
    },
  );

  test.skipIf(/127\.0\.0\.1|\*/.test(noProxy))(
    "DevelopmentStorageProxyUri pointing at a closed port: the message names the proxy and the connection string's setting",
    async () => {
      const port = await closedPort();
      const service = await connect({
        method: "connectionString",
        connectionString: `UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://devuser:dev-secret-2@127.0.0.1:${port}`,
        retry: { maxTries: 1 },
      });
      const { error } = await diagnoseConnection(service);
      expect(error?.code).toBe("NetworkError");
      expect(error?.message).toContain(
        `could not connect to the proxy 127.0.0.1:${port} (from DevelopmentStorageProxyUri in the connection string) on the way to 127.0.0.1:10000`,
      );
      expectNoSecrets(error, ["dev-secret-2", "devuser"]);
    },
  );
});
