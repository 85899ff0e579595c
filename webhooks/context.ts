// What the migration's webhooks are given beside the request: the settings and the services the
// server or the CLI opened (shoots, seeds, the seed's ingress).
import type { Webhook, WebhookContext } from '../src/admission/webhook.js';
import type { Services } from '../src/gardener/services.js';
import type { MigrationSettings } from '../src/gardener/settings.js';

export interface MigrationContext {
  settings: MigrationSettings;
  services: Services;
}

export type MigrationWebhook = Webhook<MigrationContext>;
export type MigrationWebhookContext = WebhookContext<MigrationContext>;
