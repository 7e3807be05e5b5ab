// The container or blob a service SAS was made for, as connect() learned it (a container or blob
// URL as `accountUrl`, or `container`), kept per client so that verification and
// diagnoseConnection check the token with a request its scope allows. The client itself stays a
// client of the whole account.

/** The container (and blob) a client's SAS was made for. */
export interface SasTarget {
  container?: string;
  blob?: string;
}

const targets = new WeakMap<object, SasTarget>();

/** Records what a client's SAS was made for. */
export function rememberSasTarget(client: object, target: SasTarget): void {
  if (target.container !== undefined) targets.set(client, target);
}

/** What a client's SAS was made for, if connect() was told. */
export function sasTargetOf(client: object): SasTarget | undefined {
  return targets.get(client);
}
