// A throw-away TLS certificate for the HTTPS emulator, and the in-process trust of it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { generate } from "selfsigned";

/** A PEM certificate and its private key. */
export interface CertificatePair {
  certificate: string;
  privateKey: string;
}

export interface CertificateFiles {
  certificate: string;
  certPath: string;
  keyPath: string;
  dispose(): Promise<void>;
}

let processCertificate: Promise<CertificatePair> | undefined;

/**
 * Makes every HTTPS emulator of this process use the given certificate, e.g. the one a vitest
 * globalSetup generated, so a worker trusts one certificate only. Node's HTTP agents keep the CA
 * list they first saw, so a second certificate trusted later would not be honoured by them.
 */
export function useLoopbackCertificate(pair: CertificatePair): void {
  processCertificate = Promise.resolve(pair);
}

/**
 * Returns this process's self-signed certificate for 127.0.0.1 / ::1 / localhost, generated on first
 * use, written to a private temp folder for Azurite to read.
 */
export async function createLoopbackCertificate(): Promise<CertificateFiles> {
  processCertificate ??= generatePair();
  const pems = await processCertificate;
  const dir = await mkdtemp(join(tmpdir(), "blobkit-azurite-"));
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  await writeFile(certPath, pems.certificate, { mode: 0o600 });
  await writeFile(keyPath, pems.privateKey, { mode: 0o600 });
  return {
    certificate: pems.certificate,
    certPath,
    keyPath,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

async function generatePair(): Promise<CertificatePair> {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { certificate: pems.cert, privateKey: pems.private };
}

const trusted = new Set<string>();

/**
 * Adds a PEM certificate to the CA certificates this process trusts by default, keeping the
 * ones already trusted (including `NODE_EXTRA_CA_CERTS`).
 */
export function trustCertificateInProcess(certificate: string): void {
  if (trusted.has(certificate)) return;
  const current = tls.getCACertificates("default");
  tls.setDefaultCACertificates([...current, certificate]);
  trusted.add(certificate);
}
