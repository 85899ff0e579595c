// Carries out the operation an Extension asks for and reports it back, in the order of Gardener's
// extension reconciler: finalizer before anything is created, the actuation, the status (Succeeded
// or Error), and only then the acknowledgement (operation annotation or finalizer removed), so that a
// crash at any point leaves the Extension asking again.
import type { Logger } from '../observability/logger.js';
import {
  errorStatus,
  hasFinalizer,
  hasOperationAnnotation,
  succeededStatus,
  withFinalizers,
  withoutOperationAnnotation,
  type OperationType,
} from './extension-contract.js';
import type { Outcome } from './reconciler.js';
import { GROUPS, type KubeObject, type SeedClient } from './seed-client.js';

export type Actuation = () => Promise<Outcome | 'skipped'>;

const DONE: Record<OperationType, string> = {
  Create: 'shoot webhooks registered',
  Reconcile: 'shoot webhooks registered',
  Restore: 'shoot webhooks registered after restore',
  Delete: 'shoot webhooks removed',
  Migrate: 'shoot webhooks released for migration (kept in the shoot)',
};

const FAILED: Record<OperationType, string> = {
  Create: 'cannot register the shoot webhooks',
  Reconcile: 'cannot register the shoot webhooks',
  Restore: 'cannot register the shoot webhooks',
  Delete: 'cannot remove the shoot webhooks',
  Migrate: 'cannot release the shoot webhooks for migration',
};

export class ExtensionLifecycle {
  constructor(
    private readonly client: SeedClient,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Create, Reconcile or Restore: our finalizer first, so that whatever we create is also removed. */
  async reconcile(ext: KubeObject, type: OperationType, actuate: Actuation): Promise<Outcome | 'skipped'> {
    let current = ext;
    if (!hasFinalizer(current)) current = await this.client.replaceCustom(GROUPS.extensions, withFinalizers(current, 'add'));
    const outcome = await this.actuate(current, type, actuate);
    current = await this.succeeded(current, type);
    if (hasOperationAnnotation(current)) await this.client.replaceCustom(GROUPS.extensions, withoutOperationAnnotation(current));
    return outcome;
  }

  /** Deletion: remove what we made, report it, then let the Extension go. */
  async delete(ext: KubeObject, actuate: Actuation): Promise<Outcome | 'skipped'> {
    const outcome = await this.actuate(ext, 'Delete', actuate);
    const current = await this.succeeded(ext, 'Delete');
    await this.client.replaceCustom(GROUPS.extensions, withFinalizers(current, 'remove'));
    return outcome;
  }

  /** Migration away from this seed: Gardener's migrate drops every finalizer and the annotation together. */
  async migrate(ext: KubeObject, actuate: Actuation): Promise<Outcome | 'skipped'> {
    const outcome = await this.actuate(ext, 'Migrate', actuate);
    const current = await this.succeeded(ext, 'Migrate');
    await this.client.replaceCustom(GROUPS.extensions, withoutOperationAnnotation(withFinalizers(current, 'remove-all')));
    return outcome;
  }

  private async actuate(ext: KubeObject, type: OperationType, actuate: Actuation): Promise<Outcome | 'skipped'> {
    try {
      return await actuate();
    } catch (err) {
      const description = `${FAILED[type]}: ${(err as Error).message}`;
      try {
        await this.client.replaceCustomStatus(GROUPS.extensions, { ...ext, status: errorStatus(ext, type, description, this.now()) });
      } catch (statusErr) {
        // The actuation error is what gets retried; a lost Error status is rewritten by that retry.
        this.log.warn({ extension: name(ext), err: (statusErr as Error).message }, 'cannot report the error in the Extension status');
      }
      throw err;
    }
  }

  private async succeeded(ext: KubeObject, type: OperationType): Promise<KubeObject> {
    const updated = await this.client.replaceCustomStatus(GROUPS.extensions, { ...ext, status: succeededStatus(ext, type, DONE[type], this.now()) });
    this.log.info({ extension: name(ext), operation: type }, 'Extension operation succeeded');
    return updated;
  }
}

function name(ext: KubeObject): string {
  return `${ext.metadata.namespace}/${ext.metadata.name}`;
}
