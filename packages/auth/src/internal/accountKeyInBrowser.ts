// The refusal of an account key in a browser, where connect() cannot sign with Shared Key.
import { invalidArgument, type StorageError } from "../StorageError.js";

/** The error for an account key, or a connection string holding one, given in a browser. */
export function accountKeyInBrowser(field: string): StorageError {
  return invalidArgument(
    field,
    "an account key cannot be used in a browser, where every visitor could read it; use a SAS made on your server (@blobkit/sas) or Microsoft Entra ID with a browser credential such as InteractiveBrowserCredential",
  );
}
