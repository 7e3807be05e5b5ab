// The lines under each group's table of the report: ratios between BlobKit and the SDK or rclone,
// what an option costs, and the targets of issues 16 and 17 with their verdicts.
import { type Group, isOwnRclone, type Row, type Summary } from "./results.ts";

export interface Target {
  group: string;
  text: string;
  ok: boolean;
}

export const fmt = (n: number | undefined, digits = 0) =>
  n === undefined ? "" : n.toFixed(digits);
export const cpuOf = (r: Row) => (r.cpuS > 0 ? `${fmt(r.cpuSPerGiB, 2)} CPU-s/GiB` : "CPU n/a");
const verdict = (ok: boolean) => (ok ? "meets" : "misses");
const rateOf = (r: Row) => `${fmt(r.rate)} ${r.unit}`;
const ratio = (a: Row, b: Row) => a.rate / b.rate;

/** Collects a group's lines, and its targets apart. */
class Lines {
  readonly lines: string[] = [];
  readonly targets: Target[] = [];
  readonly group: Group;
  readonly rows: Summary[];
  constructor(group: Group, rows: Summary[]) {
    this.group = group;
    this.rows = rows;
  }
  find(id: string): Summary | undefined {
    return this.rows.find((r) => r.impl === id);
  }
  info(text: string): void {
    this.lines.push(`- ${text}`);
  }
  target(text: string, ok: boolean): void {
    this.lines.push(`- ${text}: **${verdict(ok)}** the target`);
    this.targets.push({
      group: this.group.name,
      text: `${this.group.name}: ${text}: ${verdict(ok)} the target`,
      ok,
    });
  }
  /** A target where it applies (e.g. from 256 MiB on), a plain ratio elsewhere. */
  judged(applies: boolean, text: string, value: number, min: number): void {
    if (applies) this.target(`${text} (>= ${min}x)`, value >= min);
    else this.info(text);
  }
}

/** The first target of every SDK group, in the words the performance guide quotes. */
function againstSdk(out: Lines, defaults: Summary): void {
  if (defaults.vsBestRaw === undefined || defaults.vsSdkDefault === undefined) return;
  const ok = defaults.vsBestRaw >= 0.95 && defaults.vsSdkDefault >= 1;
  const text = `${out.group.name}: BlobKit defaults ${fmt(defaults.vsBestRaw, 2)}x the best raw SDK, ${fmt(defaults.vsSdkDefault, 2)}x the SDK defaults`;
  const md5 =
    defaults.vsBestRawMd5 === undefined
      ? ""
      : `; against raw SDK calls that also send an MD5 per request: ${fmt(defaults.vsBestRawMd5, 2)}x`;
  out.lines.push(`- ${text}: **${verdict(ok)}** the target (>= 0.95x and >= 1x)${md5}`);
  out.targets.push({
    group: out.group.name,
    text: `${text}: ${verdict(ok)} the target (>= 0.95x and >= 1x)`,
    ok,
  });
}

function uploads(out: Lines, defaults: Summary): void {
  const size = out.group.sizeMiB ?? 0;
  const staged = out.find("sdk-staged-md5");
  const stagedWhole = out.find("sdk-staged-whole-md5");
  const noWhole = out.find("blobkit-no-whole-md5");
  if (stagedWhole) {
    // Issue 17 compares uploads at the same integrity: an MD5 per request and a whole-blob MD5.
    out.target(
      `BlobKit defaults / SDK blocks staged by hand with an MD5 per block and a whole-blob MD5 (the same integrity): ${fmt(ratio(defaults, stagedWhole), 2)}x (>= 1.0x)`,
      ratio(defaults, stagedWhole) >= 1,
    );
    if (staged && noWhole)
      out.info(
        `with an MD5 per request only, on both sides: BlobKit \`contentMD5: "none"\` / SDK blocks staged by hand with MD5: ${fmt(ratio(noWhole, staged), 2)}x`,
      );
  } else if (staged)
    out.target(
      `BlobKit defaults / SDK blocks staged by hand with MD5 (the best raw path with an MD5 per request; it stores no whole-blob MD5): ${fmt(ratio(defaults, staged), 2)}x (>= 1.0x)`,
      ratio(defaults, staged) >= 1,
    );
  const rclone = out.find("rclone");
  if (rclone)
    out.judged(
      size >= 1024,
      `BlobKit defaults / rclone \`copyto\`: ${fmt(ratio(defaults, rclone), 2)}x`,
      ratio(defaults, rclone),
      4,
    );
  if (noWhole)
    out.info(
      `whole-blob MD5: defaults ${rateOf(defaults)} at ${cpuOf(defaults)}; \`contentMD5: "none"\` ${rateOf(noWhole)} at ${cpuOf(noWhole)}: the whole-blob MD5 costs ${fmt(defaults.cpuSPerGiB - noWhole.cpuSPerGiB, 2)} CPU-s/GiB${size <= 32 ? " (one Put Blob request here: the service computes the MD5 either way)" : ""}`,
    );
  const crc = out.find("blobkit-crc64");
  if (crc)
    out.info(
      `CRC64 per request: ${rateOf(crc)} at ${cpuOf(crc)}; MD5 per request (defaults): ${rateOf(defaults)} at ${cpuOf(defaults)}`,
    );
  if (size >= 1024)
    for (const r of [defaults, out.find("blobkit-stream")])
      if (r) out.target(`${r.impl} peak RSS ${fmt(r.rssMiB)} MiB (<= 200 MiB)`, r.rssMiB <= 200);
}

function downloads(out: Lines, defaults: Summary): void {
  const size = out.group.sizeMiB ?? 0;
  const applies = size >= 256;
  // rclone's verified row is the one whose log showed the MD5 comparison in every round.
  const verified = ["rclone", "rclone-single-stream"]
    .map((id) => out.find(id))
    .find((r) => r !== undefined && r.hashCheckedRounds === r.rounds);
  const ignoring = out.find("rclone-ignore-checksum");
  const noVerify = out.find("blobkit-no-verify");
  const sdk = out.find("sdk-default");
  if (verified) {
    const how = verified.impl === "rclone" ? "defaults" : "`--multi-thread-streams 0`";
    out.judged(
      applies,
      `BlobKit verified (defaults) / rclone verified (\`copyto\`, ${how}): ${fmt(ratio(defaults, verified), 2)}x`,
      ratio(defaults, verified),
      0.8,
    );
  }
  // rclone --ignore-checksum and the SDK neither check the bytes nor flush the file: the row
  // compared with them does neither either (issue 17: "compare at equal integrity").
  const bare = out.find("blobkit-unverified-not-durable");
  if (bare && ignoring) {
    out.judged(
      applies,
      `BlobKit unverified, not flushed (\`verify: false, durable: false\`) / rclone \`--ignore-checksum\` (which neither checks nor flushes): ${fmt(ratio(bare, ignoring), 2)}x`,
      ratio(bare, ignoring),
      0.8,
    );
  }
  if (noVerify && ignoring)
    out.info(
      `BlobKit unverified with its default fsync (\`verify: false\`) / rclone \`--ignore-checksum\`: ${fmt(ratio(noVerify, ignoring), 2)}x`,
    );
  if (sdk && bare)
    out.judged(
      applies,
      `BlobKit at the SDK's integrity (\`verify: false, durable: false\`) / SDK \`downloadToFile\` (which neither verifies nor flushes): ${fmt(ratio(bare, sdk), 2)}x`,
      ratio(bare, sdk),
      1.2,
    );
  if (sdk)
    out.info(
      `BlobKit defaults (MD5 verified, fsync) / SDK \`downloadToFile\`: ${fmt(ratio(defaults, sdk), 2)}x`,
    );
  if (verified && ignoring)
    out.info(
      `rclone's hashing, from its CPU time: MD5 checked (${verified.impl}) ${fmt(verified.cpuS, 2)} s = ${cpuOf(verified)}, its log showing \`md5 = … OK\` in ${verified.hashCheckedRounds} of ${verified.rounds} rounds; \`--ignore-checksum\` ${fmt(ignoring.cpuS, 2)} s = ${cpuOf(ignoring)}: checking costs it ${fmt(verified.cpuSPerGiB - ignoring.cpuSPerGiB, 2)} CPU-s/GiB`,
    );
  const rcloneDefaults = out.find("rclone");
  if (rcloneDefaults?.hashCheckedRounds === 0)
    out.info(
      `rclone \`copyto\` with its defaults did not check the MD5 here (${fmt(rcloneDefaults.cpuS, 2)} s = ${cpuOf(rcloneDefaults)}): above 250 MiB it copies in several streams and then logs "Src hash empty - aborting Dst hash check"`,
    );
  if (noVerify)
    out.info(
      `BlobKit's verification: on (defaults) ${rateOf(defaults)} at ${cpuOf(defaults)}; \`verify: false\` ${rateOf(noVerify)} at ${cpuOf(noVerify)}: it costs ${fmt(defaults.cpuSPerGiB - noVerify.cpuSPerGiB, 2)} CPU-s/GiB`,
    );
  const notDurable = out.find("blobkit-not-durable");
  if (notDurable) {
    const seconds = (r: Row) => size / r.rate;
    out.info(
      `fsync (\`durable\`, the default): ${rateOf(defaults)}; \`durable: false\` ${rateOf(notDurable)}: the flush costs ${fmt((seconds(defaults) - seconds(notDurable)) * 1000)} ms per download (median rounds)`,
    );
  }
  if (size >= 1024)
    out.target(
      `${defaults.impl} peak RSS ${fmt(defaults.rssMiB)} MiB (<= 200 MiB)`,
      defaults.rssMiB <= 200,
    );
}

const transfersOf = (r: Row) => `\`--transfers ${r.impl.replace("rclone-", "")}\``;

function trees(out: Lines): void {
  const { group } = out;
  const blobkit = out.find("blobkit");
  if (!blobkit) return;
  const own = out.rows.filter(isOwnRclone);
  if (own.length > 0) {
    const best = own.reduce((a, b) => (b.rate > a.rate ? b : a));
    const min = group.family === "tree-sync" || group.shape === "large" ? 1 : 1.5;
    const each = own.map((r) => `${fmt(ratio(blobkit, r), 2)}x ${transfersOf(r)}`).join(", ");
    out.target(
      `BlobKit ${rateOf(blobkit)} / the best rclone (${transfersOf(best)}, ${rateOf(best)}): ${fmt(ratio(blobkit, best), 2)}x (${each}) (>= ${min}x)`,
      ratio(blobkit, best) >= min,
    );
    const ceiling = out.find("ceiling");
    if (ceiling)
      out.info(
        `the emulator's ceiling: a client that only reads the bytes (no SDK, no file, no check) got ${rateOf(ceiling)}, ${fmt(ratio(ceiling, best), 2)}x the best rclone; ${min}x would be ${fmt(min * best.rate)} ${best.unit}, and BlobKit reached ${fmt(ratio(blobkit, ceiling), 2)}x the ceiling`,
      );
    const notDurable = out.find("blobkit-not-durable");
    if (notDurable)
      out.info(
        `at equal durability (rclone does not flush the files it writes; \`durable: false\` does not either): BlobKit ${rateOf(notDurable)} / the best rclone: ${fmt(ratio(notDurable, best), 2)}x; the flush of every file before its rename costs ${fmt((1 - blobkit.rate / notDurable.rate) * 100)}% of the rate here`,
      );
  }
  out.target(`BlobKit peak RSS ${fmt(blobkit.rssMiB)} MiB (<= 300 MiB)`, blobkit.rssMiB <= 300);
  const smallYoung = out.find("blobkit-small-young");
  if (smallYoung)
    out.info(
      `the same defaults in \`node --max-semi-space-size=8\` (V8's young generation capped at 8 MiB a semi-space): peak RSS ${fmt(smallYoung.rssMiB)} MiB instead of ${fmt(blobkit.rssMiB)} (the difference is the garbage collector's sizing, not data held), at ${fmt(ratio(smallYoung, blobkit), 2)}x the rate`,
    );
  const lean = out.find("blobkit-lean");
  if (lean)
    out.info(
      `with \`keepItems: false\` (counts and failures, no per-file lists): peak RSS ${fmt(lean.rssMiB)} MiB, at ${fmt(ratio(lean, blobkit), 2)}x the rate of the defaults`,
    );
  if (group.family !== "tree-sync") return;
  const quiet = out.rows
    .filter((r) => r.impl !== "rclone-onto-blobkit")
    .every((r) => (r.transferred ?? 0) === 0 && (r.changed ?? 0) === 0);
  out.info(
    `no-change check: ${quiet ? "every sync onto its own upload sent no file and changed no blob (ETags compared before and after)" : "a sync onto its own upload sent files or changed blobs: see the notes column"}`,
  );
  const onto = out.find("rclone-onto-blobkit");
  if (onto && ((onto.changed ?? 0) > 0 || (onto.transferred ?? 0) > 0))
    out.info(
      `rclone onto BlobKit's upload sent ${onto.transferred ?? 0} files and changed ${onto.changed ?? 0} blobs: rclone compares modification times to the nanosecond, BlobKit stores the \`mtime\` metadata to the microsecond, so rclone (1.60, \`-vv\`) finds them different, hashes every file, and rewrites the metadata when the MD5 matches`,
    );
  else if (onto)
    out.info(
      "rclone onto BlobKit's upload sent no file and changed no blob: it reads BlobKit's `mtime`",
    );
}

/** The ratio lines under a group's table; the targets among them are also returned apart. */
export function linesOf(group: Group, rows: Summary[]): { lines: string[]; targets: Target[] } {
  const out = new Lines(group, rows);
  // BlobKit with its defaults: `blobkit-default` in most groups, `blobkit` in the small-blob ones.
  const defaults = rows.find((r) => r.role === "blobkit-default");
  if (defaults) againstSdk(out, defaults);
  if (group.family === "upload" && defaults) uploads(out, defaults);
  if (group.family === "download" && defaults) downloads(out, defaults);
  if (group.family.startsWith("tree")) trees(out);
  return { lines: out.lines, targets: out.targets };
}
