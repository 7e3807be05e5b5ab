// Strips secrets from any text BlobKit puts in an error or a log line.

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
