// The emulator's ceiling for a folder download: the cheapest client this bench can make. It lists
// the prefix with the SDK (as every row lists it), then GETs each blob over keep-alive `node:http`
// connections, `spec.transfers` at a time (BlobKit's budget), reads each body and drops it: no
// file, no checksum, no SDK pipeline. What it reaches is what Azurite serves on this machine when
// almost nothing else wants the CPU, so a row of the group can't be expected to go faster.
import { Agent, get } from "node:http";
import { ContainerClient } from "@azure/storage-blob";
import { type Runner, treeDone } from "./spec.ts";

export const prepare: Runner = async (spec) => {
  if (!spec.sasUrl) throw new Error("the ceiling row needs a container SAS URL");
  const sasUrl = spec.sasUrl;
  const container = new ContainerClient(sasUrl);
  const [base, query] = sasUrl.split("?") as [string, string];
  const inFlight = spec.transfers ?? 16;
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const fetchOne = (name: string) =>
    new Promise<number>((done, fail) => {
      const path = name.split("/").map(encodeURIComponent).join("/");
      get(`${base}/${path}?${query}`, { agent }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          fail(new Error(`GET ${name}: ${response.statusCode}`));
          return;
        }
        let bytes = 0;
        response.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        response.on("end", () => done(bytes));
        response.on("error", fail);
      }).on("error", fail);
    });
  return async () => {
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `${spec.blob}/` }))
      names.push(blob.name);
    let next = 0;
    let bytes = 0;
    const worker = async () => {
      while (next < names.length) {
        const read = await fetchOne(names[next++] as string);
        bytes += read;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    agent.destroy();
    if (bytes !== spec.size) throw new Error(`read ${bytes} bytes, expected ${spec.size}`);
    return treeDone(spec, names.length);
  };
};
