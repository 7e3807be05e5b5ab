// The measured outcomes each reliability test file writes to artifacts/reliability/<stem>.json, for
// docs/reliability.md and for comparing runs.
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "../../../artifacts/reliability");

/** Writes the measured outcomes of one test file to `artifacts/reliability/<stem>.json`. */
export async function writeArtifact(stem: string, data: unknown): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${stem}.json`);
  await writeFile(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}

/** Rounds milliseconds for reports. */
export function ms(value: number): number {
  return Math.round(value);
}

/** Collects the numbers a test file measures and writes them to artifacts/reliability/<stem>.json. */
export function outcomes(stem: string): {
  data: Record<string, unknown>;
  set(key: string, value: unknown): void;
  write(): void;
} {
  const data: Record<string, unknown> = {};
  return {
    data,
    set(key, value) {
      data[key] = value;
    },
    write() {
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(
        join(ARTIFACTS, `${stem}.json`),
        `${JSON.stringify({ file: `apps/reliability/test/${stem}.test.ts`, writtenAt: new Date().toISOString(), ...data }, null, 2)}\n`,
      );
    },
  };
}

/** Milliseconds since `start`, rounded. */
export function since(start: number): number {
  return Math.round(performance.now() - start);
}
