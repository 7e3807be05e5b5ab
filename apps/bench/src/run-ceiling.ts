// The emulator's ceiling for a folder download: the cheapest client this bench can make. It
// lists the prefix and GETs each blob over keep-alive `node:http` connections (`spec.transfers`
// at a time, BlobKit's budget), with the container SAS in the query: no SDK, no signing, no XML
// parser (the names are cut out of each listing page), no file, no checksum; each body is read
// and dropped. The GETs start with the first listing page, as BlobKit's and rclone's do. What it
// reaches is about what Azurite serves on this machine when little else wants the CPU.
import { Agent, get } from "node:http";
import { type Runner, treeDone } from "./spec.ts";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const unescapeXml = (text: string) =>
  text.replace(/&(\w+);/g, (_, name: string) => ENTITIES[name] ?? `&${name};`);

export const prepare: Runner = async (spec) => {
  if (!spec.sasUrl) throw new Error("the ceiling row needs a container SAS URL");
  const [base, query] = spec.sasUrl.split("?") as [string, string];
  const inFlight = spec.transfers ?? 16;
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight + 1 });
  /** GETs `url`; keeps the body as text only when `keep` (a listing page), else counts it. */
  const fetchText = (url: string, keep = false) =>
    new Promise<{ status: number; body: string; bytes: number }>((done, fail) => {
      get(url, { agent, headers: { "x-ms-version": "2025-01-05" } }, (response) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        response.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (keep) chunks.push(chunk);
        });
        response.on("end", () =>
          done({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString(), bytes }),
        );
        response.on("error", fail);
      }).on("error", fail);
    });
  return async () => {
    const names: string[] = [];
    let listed = false;
    const waiting: (() => void)[] = [];
    const wake = () => {
      for (const resume of waiting.splice(0)) resume();
    };
    const list = async () => {
      let marker = "";
      do {
        const page = await fetchText(
          `${base}?${query}&restype=container&comp=list&prefix=${encodeURIComponent(`${spec.blob}/`)}&maxresults=5000${marker ? `&marker=${encodeURIComponent(marker)}` : ""}`,
          true,
        );
        if (page.status !== 200) throw new Error(`list: ${page.status}`);
        for (const match of page.body.matchAll(/<Name>([^<]*)<\/Name>/g))
          names.push(unescapeXml(match[1] as string));
        marker = unescapeXml(/<NextMarker>([^<]*)<\/NextMarker>/.exec(page.body)?.[1] ?? "");
        wake();
      } while (marker);
      listed = true;
      wake();
    };
    let next = 0;
    let bytes = 0;
    const worker = async () => {
      for (;;) {
        if (next >= names.length) {
          if (listed) return;
          await new Promise<void>((resolve) => waiting.push(resolve));
          continue;
        }
        const name = names[next++] as string;
        const path = name.split("/").map(encodeURIComponent).join("/");
        const response = await fetchText(`${base}/${path}?${query}`);
        if (response.status !== 200) throw new Error(`GET ${name}: ${response.status}`);
        bytes += response.bytes;
      }
    };
    await Promise.all([list(), ...Array.from({ length: inFlight }, worker)]);
    agent.destroy();
    if (bytes !== spec.size) throw new Error(`read ${bytes} bytes, expected ${spec.size}`);
    return treeDone(spec, names.length);
  };
};
