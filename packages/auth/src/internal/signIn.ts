// What to say when Microsoft Entra ID sign-in fails. A ChainedTokenCredential (and so
// DefaultAzureCredential) fails with an AggregateAuthenticationError listing every credential it
// tried, most of which were never meant to work on this machine; this picks the one that was
// expected to work and says what to do about it, in a few lines.
import { environment } from "#platform";
import { redactSecrets } from "./redact.js";

const CREDENTIAL_ERRORS = new Set([
  "AggregateAuthenticationError",
  "CredentialUnavailableError",
  "AuthenticationError",
  "AuthenticationRequiredError",
]);

const ADVICE: Readonly<Record<string, string>> = {
  AzureCliCredential: "Run 'az login' (in the tenant of the storage account), then try again.",
  AzureDeveloperCliCredential: "Run 'azd auth login', then try again.",
  AzurePowerShellCredential: "Run Connect-AzAccount in PowerShell, then try again.",
  EnvironmentCredential:
    "Check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH): the app registration, its secret and its tenant.",
  WorkloadIdentityCredential:
    "Check the workload identity: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE, and the federated credential of the identity.",
  ManagedIdentityCredential:
    "Check that a managed identity is assigned to this resource (and that AZURE_CLIENT_ID names it, if it is user-assigned).",
};

const NOTHING_AVAILABLE =
  "No sign-in is available here: run 'az login', set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, run where a managed identity is assigned, or pass a credential to connect().";

/** The credential class an error of @azure/identity comes from, read from its message. */
function credentialOf(message: string): string | undefined {
  const named = /^(\w*Credential)\b/.exec(message);
  if (named) return named[1];
  if (/Azure Developer CLI|azd auth login/i.test(message)) return "AzureDeveloperCliCredential";
  if (/Azure CLI|az login/i.test(message)) return "AzureCliCredential";
  if (/PowerShell|Connect-AzAccount/i.test(message)) return "AzurePowerShellCredential";
  return undefined;
}

interface CredentialFailure {
  credential: string | undefined;
  name: string;
  message: string;
}

function failureOf(error: unknown): CredentialFailure {
  const e = error as { name?: unknown; message?: unknown } | undefined;
  const message = typeof e?.message === "string" ? e.message : String(error);
  return {
    credential: credentialOf(message),
    name: typeof e?.name === "string" ? e.name : "Error",
    message,
  };
}

/** The failure a person should read first: the credential this machine was set up to use. */
function expected(failures: CredentialFailure[]): CredentialFailure | undefined {
  const env = environment();
  const byName = (name: string) => failures.find((f) => f.credential === name);
  if (env.AZURE_FEDERATED_TOKEN_FILE && byName("WorkloadIdentityCredential")) {
    return byName("WorkloadIdentityCredential");
  }
  if (
    env.AZURE_CLIENT_ID &&
    env.AZURE_TENANT_ID &&
    (env.AZURE_CLIENT_SECRET || env.AZURE_CLIENT_CERTIFICATE_PATH || env.AZURE_USERNAME) &&
    byName("EnvironmentCredential")
  ) {
    return byName("EnvironmentCredential");
  }
  // A credential that was available and still failed (the chain stops at it).
  const failed = failures.find((f) => f.name !== "CredentialUnavailableError");
  if (failed) return failed;
  // A tool that is installed but not signed in.
  const signedOut = failures.find(
    (f) =>
      (f.credential === "AzureCliCredential" || f.credential === "AzureDeveloperCliCredential") &&
      !/could not be found|couldn't be found|not installed/i.test(f.message),
  );
  if (signedOut) return signedOut;
  if ((env.IDENTITY_ENDPOINT || env.MSI_ENDPOINT) && byName("ManagedIdentityCredential")) {
    return byName("ManagedIdentityCredential");
  }
  return undefined;
}

/** The first sentence or line of a credential's message, short enough to read. */
function firstLine(message: string): string {
  const line = message.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const short = line.length > 240 ? `${line.slice(0, 237)}...` : line;
  return redactSecrets(short.trim().replace(/[.,]$/, ""));
}

/**
 * The sentence that explains a failed Microsoft Entra ID sign-in, or undefined when the error is
 * not one of @azure/identity's.
 */
export function explainSignIn(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | undefined)?.name;
  if (typeof name !== "string" || !CREDENTIAL_ERRORS.has(name)) return undefined;
  const errors = (error as { errors?: unknown }).errors;
  if (name === "AggregateAuthenticationError" && Array.isArray(errors)) {
    const failures = errors.map(failureOf);
    const chosen = expected(failures);
    if (!chosen) {
      const tried = failures.map((f) => f.credential ?? f.name).join(", ");
      return `Microsoft Entra ID sign-in failed: no credential could be used${tried ? ` (tried ${tried})` : ""}. ${NOTHING_AVAILABLE}`;
    }
    return describe(chosen);
  }
  const failure = failureOf(error);
  const response = (error as { errorResponse?: { error?: unknown; errorDescription?: unknown } })
    .errorResponse;
  if (typeof response?.errorDescription === "string") {
    failure.message = `${String(response.error ?? "")}: ${response.errorDescription}`;
  }
  return describe(failure);
}

function describe(failure: CredentialFailure): string {
  const advice = failure.credential
    ? (ADVICE[failure.credential] ?? "Check its configuration, or pass another credential.")
    : "Check the credential's configuration, or pass another credential.";
  return `Microsoft Entra ID sign-in failed with ${failure.credential ?? "the credential"}: ${firstLine(failure.message)}. ${advice}`;
}
