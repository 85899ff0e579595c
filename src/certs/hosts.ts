// The names a serving certificate needs.

/** `<service>.<namespace>`: the host of the garden webhook's URL, resolved by the calling API server's DNS. */
export function serviceHost(service: string, namespace: string): string {
  return `${service}.${namespace}`;
}

/** The names kube-apiserver dials for a Service-backed or URL webhook, plus loopback for local use. */
export function defaultHosts(service: string, namespace: string): string[] {
  return ['localhost', '127.0.0.1', service, serviceHost(service, namespace), `${service}.${namespace}.svc`];
}
