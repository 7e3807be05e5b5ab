// connect(): a ready BlobServiceClient for each way Microsoft's guide teaches, validated before any
// request, with BlobKit's retry policy and per-try timeout installed.
import type { TokenCredential } from "@azure/core-auth";
import { getDefaultProxySettings } from "@azure/core-rest-pipeline";
import { AnonymousCredential, BlobServiceClient } from "@azure/storage-blob";
import {
  isSharedKeyCredential,
  refuseKeyInBrowser,
  sharedKeyCredential,
  withKeyObject,
} from "#platform";
import { diagnoseConnection } from "./diagnoseConnection.js";
import { installPolicies } from "./internal/corePipeline.js";
import {
  checkAccountKey,
  checkAccountName,
  parseAccountUrl,
  parseConnectionString,
  parseSasToken,
  splitResourceUrl,
} from "./internal/endpoints.js";
import { proxyVariableInEnv, rememberProxySource } from "./internal/proxy.js";
import { resolveRetryOptions } from "./internal/retrySettings.js";
import { rememberSasTarget } from "./internal/sasTarget.js";
import { throwIfAborted } from "./kit/abort.js";
import { describeValue } from "./kit/describe.js";
import { checkOptionalString } from "./kit/options.js";
import { invalidArgument, StorageError } from "./StorageError.js";
import type { RetryOptions } from "./types.js";

/** Options shared by every way to connect. */
export interface ConnectCommonOptions {
  /** Retries and the client-side per-try timeout. See {@link RetryOptions}. */
  retry?: RetryOptions;
  /**
   * Allow plain `http://` to a host that is not loopback (e.g. an emulator in another container).
   * Never do this over a network you do not trust: keys and tokens would travel unencrypted.
   * @defaultValue false
   */
  allowHttp?: boolean;
  /**
   * Check the endpoint and credential with `diagnoseConnection` (one request, one try, at most
   * 10 s) and throw its {@link StorageError} if they do not work: `AuthenticationFailed`,
   * `NetworkError`, `Timeout`, ... with the status. A SAS made for one container or blob is
   * checked against it (see {@link SasConnectOptions}).
   * @defaultValue false
   */
  verify?: boolean;
  /** Prefix for the User-Agent header, e.g. your app's name and version. */
  userAgentPrefix?: string;
  /** Cancels the verification request. */
  signal?: AbortSignal;
}

/** Connect with Microsoft Entra ID (recommended). */
export interface EntraIdConnectOptions extends ConnectCommonOptions {
  method: "entra";
  /** e.g. `https://myaccount.blob.core.windows.net`. */
  accountUrl: string;
  /**
   * Any `TokenCredential`. When left out, `DefaultAzureCredential` from `@azure/identity` is used,
   * which tries environment variables, workload and managed identity, Azure CLI and more.
   */
  credential?: TokenCredential;
}

/**
 * Connect with a shared access signature.
 *
 * The client is always a client of the whole account, also for a SAS made for one container or
 * blob (a service SAS, `sr=c` or `sr=b`): reach the container with
 * `service.getContainerClient(name)`, as with any other credential. Such a token can only be
 * checked (by `verify` and `diagnoseConnection`) against the container or blob it was made for,
 * so say which: give that container's or blob's URL as `accountUrl`, or the container's name as
 * `container`.
 *
 * @example
 * ```ts
 * import { connect } from "@blobkit/auth";
 *
 * // A SAS made for the container "reports" only (sr=c): verified against that container.
 * const service = await connect({
 *   method: "sas",
 *   accountUrl: "https://myaccount.blob.core.windows.net/reports",
 *   sasToken: process.env.REPORTS_SAS ?? "",
 *   verify: true,
 * });
 * const reports = service.getContainerClient("reports");
 * ```
 */
export interface SasConnectOptions extends ConnectCommonOptions {
  method: "sas";
  /**
   * The account's URL without the token, e.g. `https://myaccount.blob.core.windows.net`; or, for
   * a SAS made for one container or blob, that container's or blob's URL
   * (`https://myaccount.blob.core.windows.net/reports`, `.../reports/q1.csv`). The client is
   * rooted at the account either way; the path only says what the token is checked against.
   */
  accountUrl: string;
  /** The SAS token, with or without its leading `?`. */
  sasToken: string;
  /**
   * The container a container SAS (`sr=c`) was made for, when `accountUrl` is the account's URL.
   * Used to check the token; the client is still a client of the whole account.
   */
  container?: string;
}

/** Connect with the account name and key (Shared Key). */
export interface AccountKeyConnectOptions extends ConnectCommonOptions {
  method: "accountKey";
  accountName: string;
  accountKey: string;
  /** @defaultValue `https://<accountName>.blob.core.windows.net` */
  accountUrl?: string;
}

/** Connect with a connection string, including `UseDevelopmentStorage=true`. */
export interface ConnectionStringConnectOptions extends ConnectCommonOptions {
  method: "connectionString";
  connectionString: string;
}

/** What {@link connect} needs to reach an emulator, such as `startAzurite()`'s result. */
export interface EmulatorEndpoint {
  blobEndpoint: string;
  accountName: string;
  accountKey: string;
  /** HTTPS emulators accept Entra ID tokens. */
  https?: boolean;
}

/** Connect to a local emulator (Azurite), e.g. the one `@blobkit/testing` embeds. */
export interface EmulatorConnectOptions extends ConnectCommonOptions {
  method: "emulator";
  /** Endpoint and development account; defaults to Azurite's standard `http://127.0.0.1:10000`. */
  emulator?: EmulatorEndpoint;
  /** Use a token credential instead of the account key (HTTPS emulators only). */
  credential?: TokenCredential;
}

/** The ways to connect; pick one with `method`. */
export type ConnectOptions =
  | EntraIdConnectOptions
  | SasConnectOptions
  | AccountKeyConnectOptions
  | ConnectionStringConnectOptions
  | EmulatorConnectOptions;

const AZURITE_DEFAULT: EmulatorEndpoint = {
  blobEndpoint: "http://127.0.0.1:10000/devstoreaccount1",
  accountName: "devstoreaccount1",
  accountKey:
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
};

async function defaultAzureCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new DefaultAzureCredential();
}

function accountUrlFor(url: URL): string {
  return url.toString().replace(/\/$/, "");
}

/**
 * Creates a `BlobServiceClient` for one of the ways Microsoft's guide teaches to authorize:
 * Microsoft Entra ID, SAS token, account key, or connection string (plus local emulators).
 * Everything is checked before any request, and errors never print a key, a signature or a token.
 * The client gets BlobKit's retry policy: exponential backoff with jitter and a client-side
 * per-try timeout (see {@link RetryOptions}); every client derived from it shares the policy.
 *
 * @see [Get started](../../../apps/docs/guides/get-started.md)
 *
 * @example
 * ```ts
 * import { connect } from "@blobkit/auth";
 *
 * // Microsoft Entra ID with DefaultAzureCredential (az login, managed identity, ...)
 * const service = await connect({
 *   method: "entra",
 *   accountUrl: "https://myaccount.blob.core.windows.net",
 * });
 * ```
 */
export async function connect(options: ConnectOptions): Promise<BlobServiceClient> {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options", "connect() needs an options object with a method");
  }
  throwIfAborted(options.signal, "connect");
  if (
    options.userAgentPrefix !== undefined &&
    (typeof options.userAgentPrefix !== "string" || /[^\x20-\x7e]/.test(options.userAgentPrefix))
  ) {
    throw invalidArgument(
      "userAgentPrefix",
      "must be a string of printable ASCII (it is sent in the User-Agent header)",
    );
  }
  const allowHttp = options.allowHttp === true;
  const retry = resolveRetryOptions(options.retry);
  const pipelineOptions = {
    retryOptions: { maxTries: 1 },
    ...(options.userAgentPrefix
      ? { userAgentOptions: { userAgentPrefix: options.userAgentPrefix } }
      : {}),
  };
  let client: BlobServiceClient;
  let developmentStorageProxy: string | undefined;
  switch (options.method) {
    case "entra": {
      const url = parseAccountUrl(options.accountUrl, "accountUrl", allowHttp);
      if (url.protocol !== "https:") {
        throw invalidArgument("accountUrl", "must use https: bearer tokens are only sent over TLS");
      }
      const credential = options.credential ?? (await defaultAzureCredential());
      client = new BlobServiceClient(accountUrlFor(url), credential, pipelineOptions);
      break;
    }
    case "sas": {
      const url = parseAccountUrl(options.accountUrl, "accountUrl", allowHttp);
      const sas = parseSasToken(options.sasToken, "sasToken");
      const target = splitResourceUrl(url);
      const container = checkOptionalString("container", options.container);
      if (container !== undefined && /[/?#]/.test(container)) {
        throw invalidArgument("container", "must be a container name, without '/', '?' or '#'");
      }
      if (
        container !== undefined &&
        target.container !== undefined &&
        container !== target.container
      ) {
        throw invalidArgument(
          "container",
          `is '${container}' but accountUrl names the container '${target.container}'; give one of them`,
        );
      }
      if (sas.expiresOn && sas.expiresOn.getTime() <= Date.now()) {
        throw new StorageError(
          "AuthenticationFailed",
          `Invalid sasToken: it expired at ${sas.expiresOn.toISOString()}. Create a new SAS.`,
          { field: "sasToken", operation: "connect" },
        );
      }
      client = new BlobServiceClient(
        `${accountUrlFor(target.account)}?${sas.token}`,
        new AnonymousCredential(),
        pipelineOptions,
      );
      rememberSasTarget(client, {
        ...((container ?? target.container) ? { container: container ?? target.container } : {}),
        ...(target.blob !== undefined ? { blob: target.blob } : {}),
      });
      break;
    }
    case "accountKey": {
      const accountName = checkAccountName(options.accountName);
      const accountKey = checkAccountKey(options.accountKey);
      const url = parseAccountUrl(
        options.accountUrl ?? `https://${accountName}.blob.core.windows.net`,
        "accountUrl",
        allowHttp,
      );
      client = new BlobServiceClient(
        accountUrlFor(url),
        sharedKeyCredential(accountName, accountKey),
        pipelineOptions,
      );
      break;
    }
    case "connectionString": {
      const parsed = parseConnectionString(options.connectionString, allowHttp);
      refuseKeyInBrowser(parsed.canonical);
      let parsedBySdk: BlobServiceClient;
      try {
        // The checked entries, so the SDK uses exactly what was validated.
        // A copy: the SDK writes its proxy settings into the options it is given.
        parsedBySdk = BlobServiceClient.fromConnectionString(parsed.canonical, {
          ...pipelineOptions,
        });
      } catch {
        // The SDK's message may quote the string; ours names the problem without it.
        throw invalidArgument("connectionString", "could not be parsed by @azure/storage-blob");
      }
      const credential = parsedBySdk.credential;
      // The SDK's client has already captured its key as a Buffer: build the same client around
      // the same credential signing with a KeyObject (see internal/sharedKey.ts), with the proxy
      // the SDK derives from the string (only UseDevelopmentStorage strings name one).
      developmentStorageProxy = parsed.developmentStorageProxy;
      const proxy =
        developmentStorageProxy !== undefined
          ? getDefaultProxySettings(developmentStorageProxy)
          : undefined;
      client = isSharedKeyCredential(credential)
        ? new BlobServiceClient(parsedBySdk.url, withKeyObject(credential), {
            ...pipelineOptions,
            ...(proxy ? { proxyOptions: proxy } : {}),
          })
        : parsedBySdk;
      break;
    }
    case "emulator": {
      const emulator = options.emulator ?? AZURITE_DEFAULT;
      const url = parseAccountUrl(emulator.blobEndpoint, "emulator.blobEndpoint", allowHttp);
      if (options.credential) {
        if (url.protocol !== "https:") {
          throw invalidArgument(
            "credential",
            "token credentials need an HTTPS emulator (startAzurite({ https: true }))",
          );
        }
        client = new BlobServiceClient(accountUrlFor(url), options.credential, pipelineOptions);
      } else {
        client = new BlobServiceClient(
          accountUrlFor(url),
          sharedKeyCredential(
            checkAccountName(emulator.accountName, "emulator.accountName"),
            checkAccountKey(emulator.accountKey, "emulator.accountKey"),
          ),
          pipelineOptions,
        );
      }
      break;
    }
    default:
      throw invalidArgument(
        "method",
        `must be one of "entra", "sas", "accountKey", "connectionString", "emulator"; got ${describeValue((options as { method?: unknown }).method)}`,
      );
  }
  // The SDK reads the proxy from the environment when the client is built: remember where it came
  // from, so a refused proxy is reported as the proxy, named by its setting.
  const proxySource =
    options.method === "connectionString" && developmentStorageProxy
      ? "DevelopmentStorageProxyUri in the connection string"
      : proxyVariableInEnv();
  if (proxySource) rememberProxySource(client, proxySource);
  installPolicies(client, retry);
  if (options.verify) {
    const diagnosis = await diagnoseConnection(
      client,
      options.signal ? { signal: options.signal } : {},
    );
    if (!diagnosis.ok && diagnosis.error) throw diagnosis.error;
  }
  return client;
}
