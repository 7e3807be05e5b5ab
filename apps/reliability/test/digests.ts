// SHA-256 digests of bytes and files, to check that what was downloaded is what was uploaded.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
