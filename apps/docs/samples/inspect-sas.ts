/**
 * Inspect and review a SAS: read what a SAS URL or token grants, explain it in words, and flag
 * risky ones, without ever printing its signature.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/inspect-sas.test.ts`.
 */
import type { TokenCredential } from "@azure/core-auth";
import { connect } from "@blobkit/auth";
// #region imports
import {
  createAccountSas,
  createUserDelegationSas,
  createUserDelegationSigner,
  explainSas,
  parseSas,
  type SasWarning,
} from "@blobkit/sas";
// #endregion imports
import type { AzuriteConnection } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Inspect and review a SAS", order: 52 };

// #region parse
/** What a SAS grants, as data: kind, resource, permissions in words, time left. */
export function describeSas(urlOrToken: string) {
  const sas = parseSas(urlOrToken);
  console.log(
    `${sas.kind} SAS (${sas.resource}): ${sas.permissions.names.join(", ")}; ` +
      (sas.expired ? "expired" : `${Math.round((sas.expiresInMs ?? 0) / 60_000)} minutes left`),
  );
  return sas;
}
// #endregion parse

// #region explain
/** The same in plain words with warnings: safe to paste in a ticket, it never shows the signature. */
export function printExplanation(urlOrToken: string) {
  const text = explainSas(urlOrToken);
  console.log(text);
  return text;
}
// #endregion explain

// #region review
/** A check for CI or a config loader: refuse SAS with a high-severity finding. */
export function reviewSas(urlOrToken: string): { ok: boolean; problems: SasWarning[] } {
  const problems = parseSas(urlOrToken).warnings.filter((w) => w.severity === "high");
  for (const problem of problems) console.error(`${problem.code}: ${problem.message}`);
  return { ok: problems.length === 0, problems };
}
// #endregion review

/** Inspects the SAS kinds a project meets: a fresh delegation SAS and a long-lived account SAS. */
export async function main(env: {
  azurite: AzuriteConnection;
  azuriteHttps: AzuriteConnection;
  credential: TokenCredential;
  sasToken: string;
}) {
  const entra = await connect({
    method: "entra",
    accountUrl: env.azuriteHttps.blobEndpoint,
    credential: env.credential,
  });
  const delegation = await createUserDelegationSas(
    createUserDelegationSigner(entra),
    { container: "reports", blob: "2024/q1.pdf" },
    { permissions: "r", ipRange: { start: "203.0.113.0", end: "203.0.113.255" } },
  );
  const keyed = await connect({ method: "emulator", emulator: env.azurite });
  const longLived = createAccountSas(keyed, {
    permissions: "rwdl",
    resourceTypes: "sco",
    expiresOn: new Date(Date.now() + 90 * 24 * 3_600_000),
    allowLongLived: true,
  });
  return {
    delegation: describeSas(delegation.url),
    delegationText: printExplanation(delegation.url),
    delegationReview: reviewSas(delegation.url),
    environment: describeSas(env.sasToken),
    longLivedText: printExplanation(longLived.url),
    longLivedReview: reviewSas(longLived.url),
    secrets: [delegation.url, longLived.url, env.sasToken].map(
      (sas) => new URLSearchParams(sas.slice(sas.indexOf("?") + 1)).get("sig") ?? "",
    ),
  };
}
