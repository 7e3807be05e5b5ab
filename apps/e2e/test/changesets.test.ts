// Release hygiene: a public package whose source changed since its version last changed must
// have a pending changeset that names it, so every user-visible change reaches a changelog.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, test } from "vitest";
import { publicPackages, repoRoot, run } from "./support.ts";

async function git(...args: string[]): Promise<string> {
  const result = await run("git", args, { cwd: repoRoot });
  if (result.code !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

function pendingChangesets(): string[] {
  const dir = join(repoRoot, ".changeset");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md") && f !== "README.md")
    .map((f) => readFileSync(join(dir, f), "utf8"));
}

test.each(publicPackages().map((p) => [p.name, p] as const))(
  "%s: source changes since the last version come with a changeset",
  async (name, pkg) => {
    const manifest = relative(repoRoot, join(pkg.dir, "package.json"));
    const base = await git("log", "-1", "--format=%H", "-G", '"version":', "--", manifest);
    if (!base) return; // not committed yet: the working tree is checked below
    const changed = await git(
      "diff",
      "--name-only",
      base,
      "--",
      relative(repoRoot, join(pkg.dir, "src")),
    );
    if (changed === "") return;
    const named = pendingChangesets().some((text) => {
      const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
      return front.includes(`"${name}"`) || front.includes(`${name}:`);
    });
    expect(
      named,
      `${name} changed (${changed.split("\n").length} files) but no .changeset/*.md names it`,
    ).toBe(true);
  },
);
