import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer, connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@blobkit/auth";
import { downloadDirectory, uploadDirectory } from "@blobkit/transfer";

const ACCOUNT = "devstoreaccount1";
const KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const s = createServer();
await new Promise<void>((d) => s.listen(0, "127.0.0.1", d));
const port = (s.address() as { port: number }).port;
await new Promise((d) => s.close(d));
const child = spawn(
  process.execPath,
  [
    createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js"),
    "--blobHost",
    "127.0.0.1",
    "--blobPort",
    String(port),
    "--inMemoryPersistence",
    "--skipApiVersionCheck",
    "--disableTelemetry",
    "--silent",
  ],
  { stdio: "ignore" },
);
for (;;) {
  const ok = await new Promise<boolean>((d) => {
    const k = netConnect(port, "127.0.0.1", () => {
      k.end();
      d(true);
    });
    k.on("error", () => d(false));
  });
  if (ok) break;
  await new Promise((r) => setTimeout(r, 100));
}
const service = await connect({
  method: "emulator",
  emulator: {
    blobEndpoint: `http://127.0.0.1:${port}/${ACCOUNT}`,
    accountName: ACCOUNT,
    accountKey: KEY,
  },
});
const c = service.getContainerClient("prof");
await c.create();
const src = await mkdtemp(join(tmpdir(), "prof-"));
const N = 2000;
for (let d = 0; d < N / 100; d++) {
  await mkdir(join(src, `d${d}`));
  for (let i = 0; i < 100; i++)
    await writeFile(join(src, `d${d}`, `f${i}.bin`), Buffer.alloc(4096, i));
}
await uploadDirectory(c, src, { prefix: "tree" });
const dst = await mkdtemp(join(tmpdir(), "prof-dst-"));
const cpu = process.cpuUsage();
const t = performance.now();
await downloadDirectory(c, dst, { prefix: "tree" });
const u = process.cpuUsage(cpu);
console.log(
  `download: ${(N / ((performance.now() - t) / 1000)).toFixed(0)} files/s, cpu ${((u.user + u.system) / 1000 / N).toFixed(2)} ms/file`,
);
await rm(src, { recursive: true });
await rm(dst, { recursive: true });
child.kill();
