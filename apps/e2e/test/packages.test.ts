// The packages as users get them: packed with pnpm, linted with publint and
// @arethetypeswrong/cli, then installed with plain npm into a new project outside the
// workspace, type-checked, and run against an emulator started from the installed
// @blobkit/testing. Catches missing files, wrong exports and undeclared dependencies.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publint } from "publint";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pnpmCommand, publicPackages, repoRoot, run } from "./support.ts";

const packages = publicPackages();
let workDir = "";
const tarballs = new Map<string, string>();

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "blobkit-pack-"));
  const pnpm = pnpmCommand();
  for (const pkg of packages) {
    expect(
      existsSync(join(pkg.dir, "dist", "index.js")),
      `${pkg.name} is built (run the build first)`,
    ).toBe(true);
    const result = await run(
      pnpm.command,
      [...pnpm.args, "pack", "--pack-destination", workDir, "--json"],
      {
        cwd: pkg.dir,
        timeoutMs: 120_000,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const file = `${pkg.name.replace("@", "").replace("/", "-")}-${pkg.version}.tgz`;
    expect(existsSync(join(workDir, file)), `tarball ${file}`).toBe(true);
    tarballs.set(pkg.name, join(workDir, file));
  }
}, 300_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe.each(packages.map((p) => [p.name, p] as const))("%s", (name) => {
  test("passes publint --strict", async () => {
    const tarball = readFileSync(tarballs.get(name)!);
    const { messages } = await publint({
      pack: {
        tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength),
      },
      strict: true,
      level: "suggestion",
    });
    expect(messages.map((m) => `${m.type}: ${m.code} ${JSON.stringify(m.args)}`)).toEqual([]);
  });

  test("has correct types for ESM under node16 and bundler (attw)", async () => {
    const attw = join(repoRoot, "apps", "e2e", "node_modules", ".bin", "attw");
    const result = await run(
      attw,
      [tarballs.get(name)!, "--profile", "esm-only", "--format", "ascii"],
      {
        cwd: workDir,
        timeoutMs: 120_000,
      },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  test("publishes dist/ with its exports, without the workspace source condition", async () => {
    const result = await run("tar", ["-xzf", tarballs.get(name)!, "-O", "package/package.json"], {
      cwd: workDir,
    });
    const manifest = JSON.parse(result.stdout);
    expect(JSON.stringify(manifest.exports)).not.toContain("@blobkit/source");
    expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain("workspace:");
    expect(manifest.peerDependencies?.["@azure/storage-blob"]).toBeDefined();
    const files = await run("tar", ["-tzf", tarballs.get(name)!], { cwd: workDir });
    expect(files.stdout.split("\n"), "the tarball has a README").toContain("package/README.md");
    // Every entry point (".", "./kit", "./vitest"...) points at files that were packed.
    const targets = Object.values(manifest.exports as Record<string, unknown>).flatMap((entry) =>
      typeof entry === "string" ? [entry] : Object.values(entry as Record<string, string>),
    );
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      expect(files.stdout.split("\n"), `${name} packs ${target}`).toContain(
        `package/${target.replace(/^\.\//, "")}`,
      );
    }
    expect(manifest.description, "a description for the npm page").toBeTruthy();
  });
});

test("a new project installs the tarballs with npm, type-checks and runs the get-started code", async () => {
  const project = join(workDir, "consumer");
  mkdirSync(project, { recursive: true });
  const dependencies: Record<string, string> = {
    "@azure/storage-blob": "12.34.0",
    "@azure/identity": "^4.14.1",
    "@azure/core-auth": "^1.10.0",
  };
  for (const [name, file] of tarballs) dependencies[name] = `file:${file}`;
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify(
      {
        name: "blobkit-consumer",
        private: true,
        type: "module",
        dependencies,
        devDependencies: { typescript: "6.0.3", "@types/node": "24.19.2", vitest: "5.1.1" },
      },
      null,
      2,
    ),
  );
  const imports = packages.map((p, i) => `import * as pkg${i} from "${p.name}";`).join("\n");
  writeFileSync(
    join(project, "consumer.ts"),
    `${imports}
import { connect, diagnoseConnection, isStorageError } from "@blobkit/auth";
import * as kit from "@blobkit/auth/kit";
import { checkInteger, type IntegerRule, runOperation } from "@blobkit/auth/kit";
import { createContainer, createContainerIfNotExists } from "@blobkit/containers";
import { downloadBlob, uploadBlob } from "@blobkit/blobs";
import type { BlobKitFixtures } from "@blobkit/testing/vitest";
import type setupEmulators from "@blobkit/testing/globalSetup";
export type Checked = [BlobKitFixtures, typeof setupEmulators];
import { startAzurite, createEmulatorTokenCredential } from "@blobkit/testing";

const loaded = [${packages.map((_, i) => `pkg${i}`).join(", ")}, kit].map((m) => Object.keys(m).length);
if (loaded.some((n) => n === 0)) throw new Error("a package exports nothing");
// The second entry of @blobkit/auth, as a package built on BlobKit uses it.
const rule: IntegerRule = { min: 1, max: 64 };
if (checkInteger("concurrency", undefined, rule, 8) !== 8) throw new Error("checkInteger");

await using azurite = await startAzurite();
await using secure = await startAzurite({ https: true });
const service = await connect({ method: "connectionString", connectionString: azurite.connectionString, verify: true });
await createContainer(service, "consumer");
const exists = await runOperation({ operation: "check container", client: service }, () =>
  service.getContainerClient("consumer").exists(),
);
if (!exists) throw new Error("runOperation lost the result");
if ((await createContainerIfNotExists(service, "consumer")).created) throw new Error("created twice");
const container = service.getContainerClient("consumer");
await uploadBlob(container, "hello.txt", "hello from a packed package");
const { content } = await downloadBlob(container.getBlobClient("hello.txt"), { to: "string" });
if (content !== "hello from a packed package") throw new Error(\`downloaded \${content}\`);
const entra = await connect({ method: "entra", accountUrl: secure.blobEndpoint, credential: createEmulatorTokenCredential() });
const diagnosis = await diagnoseConnection(entra);
if (!diagnosis.ok) throw new Error(diagnosis.summary);
try {
  await createContainer(service, "consumer");
  throw new Error("expected AlreadyExists");
} catch (error) {
  if (!isStorageError(error, "AlreadyExists")) throw error;
}
console.log("consumer ok", loaded.join(","));
`,
  );
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2024",
        lib: ["ES2024", "ESNext.Disposable"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ["node"],
        verbatimModuleSyntax: true,
      },
      include: ["consumer.ts", "readme.ts"],
    }),
  );
  // The README's taste of the API must compile against the published packages.
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const taste = /## A taste\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(taste, "README has a ts block under 'A taste'").toBeDefined();
  writeFileSync(join(project, "readme.ts"), `${taste}\nexport {};\n`);
  const install = await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: project,
    timeoutMs: 300_000,
  });
  expect(install.code, install.stderr).toBe(0);
  const tsc = await run(
    process.execPath,
    [join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "."],
    {
      cwd: project,
      timeoutMs: 120_000,
    },
  );
  expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
  const exec = await run(process.execPath, ["consumer.ts"], { cwd: project, timeoutMs: 60_000 });
  expect(exec.code, exec.stdout + exec.stderr).toBe(0);
  expect(exec.stdout).toContain("consumer ok");
}, 600_000);
