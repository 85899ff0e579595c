// Defaults shared by the controller, the CLI and the RBAC data, in a module light enough for any of them.
export const DEFAULT_RESYNC_PERIOD_MS = 5 * 60_000;
export const DEFAULT_LEASE_NAME = 'http-proxy-migrator-shoot-webhooks';
/** How often the rollout steps when nothing it watches changes. */
export const DEFAULT_STEP_INTERVAL_MS = 10_000;
