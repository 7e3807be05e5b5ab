// redactSecrets(): every kind of secret BlobKit may meet in a message is stripped.
import { describe, expect, test } from "vitest";
import { redactSecrets } from "../src/internal/redact.js";

const KEY = Buffer.alloc(64, 9).toString("base64");

describe("redactSecrets", () => {
  test.each([
    [`https://a.blob.core.windows.net/c?sv=2024&sig=abc%2Bdef&se=1`, "abc%2Bdef"],
    [`AccountName=a;AccountKey=${KEY};`, KEY],
    ["Authorization: Bearer eyJhbGciOi.eyJzdWIiOiIx.c2ln", "eyJhbGciOi"],
    [`SharedKey devstoreaccount1:${"a".repeat(43)}=`, "a".repeat(43)],
    [`key ${KEY} alone`, KEY],
  ])("%s", (text, secret) => {
    expect(redactSecrets(text)).not.toContain(secret);
  });
});
