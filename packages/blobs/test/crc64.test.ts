// CRC-64/NVME (internal/checksum/crc64.ts), the checksum Azure checks in x-ms-content-crc64:
// the catalogue's check value, and agreement with a bit-by-bit reference implementation for
// one-shot and incremental use over lengths that cross every word boundary.
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { Crc64, crc64 } from "../src/internal/checksum/crc64.js";

/** CRC-64/NVME one bit at a time (reflected polynomial, init and xorout all ones). */
function reference(data: Uint8Array): bigint {
  const polynomial = 0x9a6c9329ac4bc9b5n;
  const mask = 0xffffffffffffffffn;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ polynomial : crc >> 1n;
  }
  return crc ^ mask;
}

/** The 8 bytes Azure expects: the value least significant byte first. */
function littleEndian(value: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(value);
  return buffer;
}

describe("crc64 (CRC-64/NVME, as Azure wants it)", () => {
  test('the catalogue check value: "123456789" is 0xAE8B14860A799888, sent little-endian', async () => {
    const digest = await crc64(Buffer.from("123456789"));
    expect(reference(Buffer.from("123456789"))).toBe(0xae8b14860a799888n);
    expect(Buffer.from(digest).toString("hex")).toBe("8898790a86148bae");
  });

  test("known values: empty input is 0, and the result is always 8 bytes", async () => {
    expect(Buffer.from(await crc64(new Uint8Array(0))).toString("hex")).toBe("0000000000000000");
    expect(await crc64(Buffer.from("a"))).toHaveLength(8);
  });

  test("agrees with the bit-by-bit reference, one-shot and in chunks", async () => {
    for (const length of [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4099]) {
      const data = randomBytes(length);
      const expected = littleEndian(reference(data)).toString("hex");
      expect(Buffer.from(await crc64(data)).toString("hex"), `${length}`).toBe(expected);
      const incremental = await Crc64.create();
      for (let at = 0; at < length; at += 13) incremental.update(data.subarray(at, at + 13));
      expect(Buffer.from(incremental.digest()).toString("hex"), `${length}`).toBe(expected);
    }
  });

  test("concurrent one-shot calls do not mix their data (one shared instance)", async () => {
    const inputs = Array.from({ length: 20 }, (_, i) => randomBytes(100 + i));
    const digests = await Promise.all(inputs.map((input) => crc64(input)));
    digests.forEach((digest, i) => {
      expect(Buffer.from(digest).toString("hex")).toBe(
        littleEndian(reference(inputs[i] as Uint8Array)).toString("hex"),
      );
    });
  });
});
