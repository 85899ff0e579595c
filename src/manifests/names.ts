// Names, labels and paths shared by the generated server objects, so the Deployment, Service, PDB
// and NetworkPolicy cannot disagree on what selects the webhook pods.
import { SERVICE_NAME } from '../gardener/extension-identity.js';

export const DEFAULT_IMAGE = 'http-proxy-migrator:0.1.0';
export const CONTAINER_NAME = 'http-proxy-migrator';
export const REGISTER_CONTAINER_NAME = 'register';
/** The register controller's own ClusterRole and Role: the server's stays read-only. */
export const REGISTER_ROLE_NAME = `${SERVICE_NAME}-register`;
/** The serving certificate, created by the operator (tls.crt, tls.key, and ca.crt: the CA bundle the shoots trust), never generated into git. */
export const TLS_SECRET_NAME = `${SERVICE_NAME}-tls`;
export const CERT_DIR = '/etc/http-proxy-migrator/certs';
export const GARDEN_KUBECONFIG_DIR = '/etc/http-proxy-migrator/garden';
/** The rollout's waves file (`manifests --waves`), mounted into the register container from its ConfigMap. */
export const WAVES_CONFIGMAP_NAME = 'http-proxy-migrator-waves';
export const WAVES_KEY = 'waves.yaml';
export const WAVES_DIR = '/etc/http-proxy-migrator/rollout';

export const SELECTOR_LABELS: Record<string, string> = { 'app.kubernetes.io/name': SERVICE_NAME };
export const COMMON_LABELS: Record<string, string> = {
  ...SELECTOR_LABELS,
  'app.kubernetes.io/part-of': 'gardener-extensions',
  'app.kubernetes.io/managed-by': 'http-proxy-migrator-manifests',
};

/** Seconds a replica keeps answering in-flight reviews after SIGTERM (serve --grace-period). */
export const DRAIN_SECONDS = 25;
/** Longer than the drain, so the kubelet never kills a replica that is still answering. */
export const TERMINATION_GRACE_SECONDS = DRAIN_SECONDS + 15;

/** How the register controller picks shoots: those with the Extension, all of them, or none (no controller). */
export const REGISTER_MODES = ['extension', 'all', 'off'] as const;
export type RegisterMode = (typeof REGISTER_MODES)[number];
