// The operator's brake for one shoot: this annotation on the shoot's namespace in the seed (seen at once)
// or on the Shoot (seen when Gardener next copies the Shoot into the Cluster, at the shoot's reconcile).
export const HOLD_ANNOTATION = 'http-proxy-migrator.gardener.cloud/hold';

export function isHeld(annotations: Readonly<Record<string, string>> | undefined): boolean {
  return annotations?.[HOLD_ANNOTATION] === 'true';
}
