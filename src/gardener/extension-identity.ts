// Names the extension goes by in a Gardener landscape, following Gardener's extension conventions.
export const EXTENSION_NAME = 'http-proxy-migrator';
export const SERVICE_NAME = `gardener-extension-${EXTENSION_NAME}`;
export const DEFAULT_NAMESPACE = `extension-${EXTENSION_NAME}`;
export const SERVICE_PORT = 443;
export const WEBHOOK_PORT = 9443;
export const METRICS_PORT = 8080;
export const REGISTER_METRICS_PORT = 8081;
