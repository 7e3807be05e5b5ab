// CRC-64/NVME, the checksum Azure Storage checks in `x-ms-content-crc64`: computed by hash-wasm's
// WebAssembly CRC-64 (about 1.2 GiB/s on one core here, 1.7x the speed of Node's MD5), loaded on
// first use so that uploads that never ask for it never load it.
import type { IHasher } from "hash-wasm";

/** The polynomial of CRC-64/NVME (reflected form, as hash-wasm takes it). */
const NVME_POLYNOMIAL = "9a6c9329ac4bc9b5";

function newHasher(): Promise<IHasher> {
  return import("hash-wasm").then(({ createCRC64 }) => createCRC64(NVME_POLYNOMIAL));
}

/** hash-wasm gives the value most significant byte first; Azure wants it least significant first. */
function azureOrder(digest: Uint8Array): Uint8Array {
  return digest.reverse();
}

let shared: Promise<IHasher> | undefined;

/**
 * The CRC-64/NVME of `data`, as the 8 bytes Azure expects (little-endian). One WebAssembly
 * instance serves every one-shot call: each runs to completion synchronously once it is loaded.
 */
export async function crc64(data: Uint8Array): Promise<Uint8Array> {
  shared ??= newHasher();
  const instance = await shared;
  instance.init();
  instance.update(data);
  return azureOrder(instance.digest("binary"));
}

/** An incremental CRC-64/NVME, for data read in chunks with awaits in between (its own instance). */
export class Crc64 {
  readonly #hasher: IHasher;

  private constructor(hasher: IHasher) {
    this.#hasher = hasher;
  }

  static async create(): Promise<Crc64> {
    const hasher = await newHasher();
    hasher.init();
    return new Crc64(hasher);
  }

  update(data: Uint8Array): this {
    this.#hasher.update(data);
    return this;
  }

  digest(): Uint8Array {
    return azureOrder(this.#hasher.digest("binary"));
  }
}
