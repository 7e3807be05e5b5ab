// The guides' contract tests: a BlobKit client of a `startStubServer()` stub, and the requests it
// received as `METHOD /path?query` lines, the shape their assertions compare.
import { connect } from "@blobkit/auth";
import type { StubServer } from "@blobkit/testing";

export async function stubService(stub: StubServer) {
  const service = await connect({ method: "emulator", emulator: stub, retry: { maxTries: 1 } });
  return {
    service,
    get requests() {
      return stub.requests.map((r) => `${r.method} ${r.path}?${r.query}`);
    },
    [Symbol.asyncDispose]: () => stub.stop(),
  };
}
