// Which proxy a request went through, so that a refused or unreachable proxy is named as such
// instead of the blob endpoint behind it. The SDK's proxy policy hands each request an
// http(s)-proxy-agent whose `proxy` is the proxy's URL; connect() records where that URL came
// from (an environment variable or the connection string), per client pipeline.
import { environment } from "#platform";
import { corePipelineOf } from "./corePipeline.js";

const sourceByPipeline = new WeakMap<object, string>();

/**
 * The variable the SDK's proxy policy reads its proxy from, in its order (`HTTPS_PROXY`, then
 * `ALL_PROXY`, then `HTTP_PROXY`, each also in lower case), if one is set.
 */
export function proxyVariableInEnv(): string | undefined {
  const env = environment();
  for (const name of ["HTTPS_PROXY", "ALL_PROXY", "HTTP_PROXY"]) {
    if (env[name]) return name;
    if (env[name.toLowerCase()]) return name.toLowerCase();
  }
  return undefined;
}

/** Records where the proxy of a client's pipeline was configured, e.g. `"HTTPS_PROXY"`. */
export function rememberProxySource(client: object, source: string): void {
  sourceByPipeline.set(corePipelineOf(client), source);
}

/** The proxy a failed request went through: its host and port (never its credentials), and where it was configured. */
export interface ProxyUsed {
  host: string;
  source: string | undefined;
}

/** The proxy behind a failed request, if the SDK sent it through one. */
export function proxyOf(error: unknown, client: object | undefined): ProxyUsed | undefined {
  const agent = (error as { request?: { agent?: { proxy?: unknown } } } | undefined)?.request
    ?.agent;
  const proxy = agent?.proxy;
  if (!(proxy instanceof URL)) return undefined;
  let source: string | undefined;
  try {
    source = client ? sourceByPipeline.get(corePipelineOf(client)) : undefined;
  } catch {
    // Not an SDK client (a plain { url } in a test or an extension): the source stays unnamed.
  }
  return { host: proxy.host, source };
}
