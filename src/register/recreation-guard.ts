// Keeps a shoot's move from deleting its apiserver-proxy ConfigMap over and over when the resource manager keeps
// re-creating it unmoved: the webhook was unreachable at the re-create (failurePolicy Ignore admits it unchanged), or it
// judges the shoot differently from the mover (other settings, a seed ingress that does not route the target yet).
// Retrying at once helps only the first case, and only once; each delete is a moment in which a new pod cannot mount
// the ConfigMap. So: the first successor found unmoved is deleted again at once (a blip, say the server rolling), from
// the second on the deletes are spaced out, doubling from a minute up to a quarter hour, and the move timeout halts
// the rollout meanwhile. Kept in memory per leader: a new leader may delete at most twice more before it spaces out.
import type { Clock } from '../rollout/rollout-state.js';

/** Successors found unmoved in a row before the deletes are spaced out. */
export const UNMOVED_BEFORE_BACKOFF = 2;
const FIRST_PAUSE_MS = 60_000;
const MAX_PAUSE_MS = 15 * 60_000;

interface Record {
  name: string;
  /** The ConfigMap this mover deleted last. */
  deletedUid: string;
  deletedAt: number;
  /** The last successor counted as found unmoved (each is counted once, however often it is observed). */
  countedUid?: string;
  unmoved: number;
}

export type DeleteVerdict = { delete: true } | { delete: false; wait: string };

export class RecreationGuard {
  private readonly shoots = new Map<string, Record>();

  constructor(private readonly clock: Clock) {}

  /** Whether the unmoved ConfigMap `name` (this `uid`) may be deleted now; the first unmoved successor it sees is reported in `onUnmoved`. */
  mayDelete(shoot: string, name: string, uid: string, onUnmoved: (count: number) => void): DeleteVerdict {
    const known = this.shoots.get(shoot);
    if (!known || known.name !== name) return { delete: true };
    if (uid !== known.deletedUid && uid !== known.countedUid) {
      known.unmoved++;
      known.countedUid = uid;
      onUnmoved(known.unmoved);
    }
    if (known.unmoved < UNMOVED_BEFORE_BACKOFF) return { delete: true };
    const pause = Math.min(FIRST_PAUSE_MS * 2 ** (known.unmoved - UNMOVED_BEFORE_BACKOFF), MAX_PAUSE_MS);
    const next = known.deletedAt + pause;
    if (this.clock.now() >= next) return { delete: true };
    return {
      delete: false,
      wait:
        `the webhook to move ConfigMap ${name}: the resource manager re-created it unmoved ${known.unmoved} times in a row ` +
        `(is the webhook reachable, with the register controller's settings, and does the seed route the target?); next delete at ${new Date(next).toISOString()}`,
    };
  }

  /** The ConfigMap was deleted (its successor, once re-created, is judged against it). */
  deleted(shoot: string, name: string, uid: string): void {
    const known = this.shoots.get(shoot);
    const unmoved = known?.name === name ? known.unmoved : 0;
    this.shoots.set(shoot, {
      name,
      deletedUid: uid,
      deletedAt: this.clock.now(),
      unmoved,
      ...(known?.countedUid ? { countedUid: known.countedUid } : {}),
    });
  }

  /** The ConfigMap came back in the target, or the shoot no longer moves: nothing to remember. */
  forget(shoot: string): void {
    this.shoots.delete(shoot);
  }

  retain(moving: ReadonlySet<string>): void {
    for (const shoot of [...this.shoots.keys()]) if (!moving.has(shoot)) this.shoots.delete(shoot);
  }
}
