// The names a serving certificate needs.

/** The names kube-apiserver dials for a Service-backed webhook, plus loopback for local use. */
export function defaultHosts(service: string, namespace: string): string[] {
  return ['localhost', '127.0.0.1', service, `${service}.${namespace}`, `${service}.${namespace}.svc`];
}
