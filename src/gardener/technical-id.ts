// The shoot's technical ID (its control-plane namespace in the seed; Gardener's ComputeTechnicalID). The
// legacy envoy.yaml does not carry it, so it comes from outside: the per-shoot webhook path, `mutate` and
// `review --technical-id`, `manifests --shoot`, `register --namespace`, `preflight --technical-id`. Every one
// of them checks it here, so that an ID one accepts is never refused by another.

/** `shoot--<project>--<name>`, or the legacy `shoot-<project>-<name>`; Gardener forbids `--` inside both names. */
const TECHNICAL_ID = /^shoot(--[a-z0-9]+(-[a-z0-9]+)*--|-[a-z0-9]+(-[a-z0-9]+)*-)[a-z0-9]+(-[a-z0-9]+)*$/;
/** It is a namespace name, so a DNS label. */
const MAX_LENGTH = 63;

/** Why `id` cannot be a shoot's technical ID, or undefined when it can. */
export function technicalIdProblem(id: string | undefined): string | undefined {
  if (id === undefined || id.length === 0) return 'no shoot technical ID is known for this request';
  if (id.length > MAX_LENGTH) return `the shoot technical ID is longer than ${MAX_LENGTH} characters`;
  if (!TECHNICAL_ID.test(id)) return 'the shoot technical ID is not shoot--<project>--<name> or shoot-<project>-<name>';
  return undefined;
}

/**
 * Whether the API server FQDN (`api.<name>.<project>.<internal domain>`, Gardener's
 * outOfClusterAPIServerFQDN) belongs to the shoot with this technical ID. Guards against a webhook
 * path that names another shoot: its traffic would be tunnelled to that shoot's kube-apiserver.
 */
export function fqdnBelongsToShoot(fqdn: string, technicalId: string): boolean {
  const labels = (fqdn.endsWith('.') ? fqdn.slice(0, -1) : fqdn).split('.');
  if (labels.length < 4 || labels[0] !== 'api') return false;
  const [, name, project] = labels;
  return technicalId === `shoot--${project}--${name}` || technicalId === `shoot-${project}-${name}`;
}
