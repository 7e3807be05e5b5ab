import { connect } from "@blobkit/auth";
import { startAzurite } from "@blobkit/testing";
import { test } from "vitest";
import { downloadDirectory, uploadDirectory } from "../src/index.js";
import { tempFolder, writeTree } from "./helpers.js";

test("small files probe", { timeout: 600_000 }, async () => {
  await using az = await startAzurite({ process: "child" });
  const service = await connect({ method: "emulator", emulator: az });
  const c = service.getContainerClient("probe-small");
  await c.create();
  await using folder = await tempFolder();
  const files: Record<string, number> = {};
  const N = Number(process.env.N ?? 2000);
  for (let i = 0; i < N; i++)
    files[`d${String(Math.floor(i / 100)).padStart(3, "0")}/f${i}.bin`] = 4096;
  await writeTree(folder.path, files);
  for (let r = 0; r < 2; r++) {
    await c.deleteIfExists();
    await c.create().catch(async () => {
      await new Promise((s) => setTimeout(s, 500));
      await c.create();
    });
    let cpu = process.cpuUsage();
    let t = performance.now();
    await uploadDirectory(c, folder.path, { prefix: "tree" });
    let u = process.cpuUsage(cpu);
    console.log(
      `upload ${N} files: ${(N / ((performance.now() - t) / 1000)).toFixed(0)} files/s, cpu ${((u.user + u.system) / 1000 / N).toFixed(2)} ms/file`,
    );
    for (const durable of [true, false]) {
      await using target = await tempFolder();
      cpu = process.cpuUsage();
      t = performance.now();
      await downloadDirectory(c, target.path, {
        prefix: "tree",
        ...(durable ? {} : { durable: false }),
      } as never);
      u = process.cpuUsage(cpu);
      console.log(
        `download durable=${durable}: ${(N / ((performance.now() - t) / 1000)).toFixed(0)} files/s, cpu ${((u.user + u.system) / 1000 / N).toFixed(2)} ms/file`,
      );
    }
  }
});
