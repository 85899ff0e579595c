// The webhook registry: the single source for routing, the CLI's offline paths and the manifests.
import type { MigrationWebhook } from './context.js';
import { apiserverProxyWebhook } from './apiserver-proxy/registration.js';
import { gardenletConfigWebhook } from './gardenlet-config/registration.js';
import { vpnShootWebhook } from './vpn-shoot/registration.js';

export const webhooks: readonly MigrationWebhook[] = [apiserverProxyWebhook, vpnShootWebhook, gardenletConfigWebhook];

export function findWebhook(name: string): MigrationWebhook | undefined {
  return webhooks.find((w) => w.name === name);
}
