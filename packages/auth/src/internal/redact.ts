// Strips secrets from any text BlobKit puts in an error or a log line, and from the errors it keeps
// as a StorageError's cause.

const patterns: Array<[RegExp, string]> = [
  // SAS signature in a URL or token.
  [/([?&;\s"']|^)(sig=)[^&\s"';]+/gi, "$1$2REDACTED"],
  // Account key in a connection string.
  [/(AccountKey=)[^;\s"']+/gi, "$1REDACTED"],
  // SharedAccessSignature in a connection string.
  [/(SharedAccessSignature=)[^;\s"']+/gi, "$1REDACTED"],
  // Authorization headers.
  [/(Bearer\s+)[A-Za-z0-9\-_.~+/]+=*/g, "$1REDACTED"],
  [/(SharedKey(?:Lite)?\s+[^:\s]+:)[A-Za-z0-9+/=]+/g, "$1REDACTED"],
  // JWT-shaped tokens anywhere.
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, "REDACTED-TOKEN"],
  // A bare 64-byte base64 key (account keys are 88 characters).
  [/[A-Za-z0-9+/]{86}==/g, "REDACTED-KEY"],
];

/** Returns `text` with SAS signatures, account keys and tokens replaced by `REDACTED`. */
export function redactSecrets(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of extraSecrets) {
    if (secret.length >= 8) out = out.split(secret).join("REDACTED");
  }
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A copy of an error fit to be a StorageError's `cause`: its name, message (secrets stripped),
 * `code` and `statusCode`, and for a Node system error its `syscall`, `path` and `dest`, but none
 * of the SDK's request, response or headers, which may carry a token or a signature.
 */
export function sanitizedCause(error: unknown): Error | undefined {
  if (!(error instanceof Error)) return undefined;
  const copy = new Error(redactSecrets(error.message));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === "number") Object.assign(copy, { statusCode: status });
  for (const key of ["syscall", "path", "dest"] as const) {
    const value = (error as Partial<Record<typeof key, unknown>>)[key];
    if (typeof value === "string") Object.assign(copy, { [key]: redactSecrets(value) });
  }
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}
