// Scans for secrets: every text a user may see of an error (message, String(), stack, JSON,
// util.inspect, each cause), the secrets that appear in them, and everything the Azure SDK logger
// and console.* print while a block runs.
import { format, inspect } from "node:util";
import { AzureLogger, type AzureLogLevel, getLogLevel, setLogLevel } from "@azure/logger";

/**
 * Every text a user may see of an error: `message`, `String()`, `stack`, `JSON.stringify`, and
 * `util.inspect` (what `console.log(error)` prints), for the error and each `cause` below it.
 */
export function errorTexts(error: unknown): string[] {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 20; depth++) {
    if (current instanceof Error) {
      texts.push(current.message, String(current), current.stack ?? "");
      texts.push(JSON.stringify(current) ?? "");
      texts.push(inspect(current, { depth: 10, showHidden: false }));
      current = current.cause;
    } else {
      texts.push(typeof current === "object" ? inspect(current, { depth: 10 }) : String(current));
      break;
    }
  }
  return texts;
}

/** How deep a cause chain goes (1 = no cause). */
export function causeDepth(error: unknown): number {
  let depth = 0;
  for (let current = error; current instanceof Error; current = current.cause) depth++;
  return depth;
}

/** The secrets (and their URL-encoded forms) that appear in `texts`. */
export function leakedSecrets(texts: readonly string[], secrets: readonly string[]): string[] {
  const joined = texts.join("\n");
  const forms = secrets.flatMap((secret) => [
    secret,
    encodeURIComponent(secret),
    // The signature part of a JWT alone, or a key without its padding, is still a secret.
    ...(secret.length > 40 ? [secret.slice(0, 40)] : []),
  ]);
  return [...new Set(forms)].filter((form) => form.length >= 8 && joined.includes(form));
}

/** Output captured from the Azure SDK logger and from console.* while a block ran. */
export interface CapturedLogs {
  readonly lines: string[];
  restore(): void;
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

/**
 * Turns the Azure SDK logger on at `verbose` and captures it and console.* (nothing is printed)
 * until `restore()`.
 */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const previousLevel: AzureLogLevel | undefined = getLogLevel();
  const previousLog = AzureLogger.log;
  const previousConsole = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
  setLogLevel("verbose");
  AzureLogger.log = (...args: unknown[]) => {
    lines.push(format(...args));
  };
  for (const name of CONSOLE_METHODS) {
    console[name] = (...args: unknown[]) => {
      lines.push(`console.${name}: ${format(...args)}`);
    };
  }
  return {
    lines,
    restore() {
      for (const [name, method] of previousConsole) console[name] = method;
      AzureLogger.log = previousLog;
      setLogLevel(previousLevel);
    },
  };
}
