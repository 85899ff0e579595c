// Carries out the operation an Extension asks for and reports it back, in the order of Gardener's
// extension reconciler: finalizer before anything is created, the actuation, the status (Succeeded
// or Error), and only then the acknowledgement (operation annotation or finalizer removed), so that a
// crash at any point leaves the Extension asking again. Every change is a merge patch computed against
// the cached Extension, as Gardener's controllers patch them; the ones that replace the finalizer list
// carry its resourceVersion.
import { isEmptyPatch, mergePatch, type Json } from '../gardener/merge-patch.js';
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
import type { StoredObject } from '../admission/types.js';
import { GROUPS, type SeedClient } from './seed-client.js';

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

/** Takes our write's answer into the Extension cache; returns what the cache keeps of it. */
export type Remember = (written: StoredObject) => StoredObject;

export class ExtensionLifecycle {
  constructor(
    private readonly client: SeedClient,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly remember: Remember = (written) => written,
  ) {}

  /** Create, Reconcile or Restore: our finalizer first, so that whatever we create is also removed. */
  async reconcile(ext: StoredObject, type: OperationType, actuate: Actuation): Promise<Outcome | 'skipped'> {
    let current = ext;
    if (!hasFinalizer(current)) current = await this.patch(current, withFinalizers(current, 'add'), { locked: true });
    const outcome = await this.actuate(current, type, actuate);
    current = await this.succeeded(current, type);
    if (hasOperationAnnotation(current)) await this.patch(current, withoutOperationAnnotation(current));
    return outcome;
  }

  /** Deletion: remove what we made, report it, then let the Extension go. */
  async delete(ext: StoredObject, actuate: Actuation): Promise<Outcome | 'skipped'> {
    const outcome = await this.actuate(ext, 'Delete', actuate);
    const current = await this.succeeded(ext, 'Delete');
    await this.patch(current, withFinalizers(current, 'remove'), { locked: true });
    return outcome;
  }

  /** Migration away from this seed: Gardener's migrate drops every finalizer and the annotation together. */
  async migrate(ext: StoredObject, actuate: Actuation): Promise<Outcome | 'skipped'> {
    const outcome = await this.actuate(ext, 'Migrate', actuate);
    const current = await this.succeeded(ext, 'Migrate');
    await this.patch(current, withoutOperationAnnotation(withFinalizers(current, 'remove-all')), { locked: true });
    return outcome;
  }

  /** The merge patch from `current` to `next`; `locked` for list changes, which must not race another writer. */
  private async patch(
    current: StoredObject,
    next: StoredObject,
    options: { locked?: boolean; status?: boolean } = {},
  ): Promise<StoredObject> {
    const changes = mergePatch(options.status ? { status: current.status } : current, options.status ? { status: next.status } : next);
    if (isEmptyPatch(changes)) return current;
    const patch = changes as Record<string, Json>;
    if (options.locked)
      patch.metadata = {
        ...(patch.metadata as Record<string, Json> | undefined),
        resourceVersion: current.metadata.resourceVersion ?? null,
      };
    const { namespace, name } = current.metadata;
    return this.remember(await this.client.patchCustom(GROUPS.extensions, namespace!, name, patch, { status: options.status }));
  }

  private async actuate(ext: StoredObject, type: OperationType, actuate: Actuation): Promise<Outcome | 'skipped'> {
    try {
      return await actuate();
    } catch (err) {
      const description = `${FAILED[type]}: ${(err as Error).message}`;
      try {
        await this.patch(ext, { ...ext, status: errorStatus(ext, type, description, this.now()) }, { status: true });
      } catch (statusErr) {
        // The actuation error is what gets retried; a lost Error status is rewritten by that retry.
        this.log.warn({ extension: name(ext), err: (statusErr as Error).message }, 'cannot report the error in the Extension status');
      }
      throw err;
    }
  }

  private async succeeded(ext: StoredObject, type: OperationType): Promise<StoredObject> {
    const updated = await this.patch(ext, { ...ext, status: succeededStatus(ext, type, DONE[type], this.now()) }, { status: true });
    this.log.info({ extension: name(ext), operation: type }, 'Extension operation succeeded');
    return updated;
  }
}

function name(ext: StoredObject): string {
  return `${ext.metadata.namespace}/${ext.metadata.name}`;
}
