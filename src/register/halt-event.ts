// The Event a halt leaves on the shoot's `shoot-core-*` ManagedResource, in the core/v1 form that
// client-go's event recorder writes (what Gardener's controllers emit through controller-runtime's
// GetEventRecorderFor): `kubectl describe managedresource` and `kubectl get events -n <shoot>` show it.
import { EXTENSION_NAME } from '../gardener/extension-identity.js';
import { APISERVER_PROXY_MANAGED_RESOURCE } from '../rollout/move-step.js';
import type { Halt } from '../rollout/rollout-state.js';
import type { StoredObject as KubeObject } from '../admission/types.js';

export const HALT_EVENT_REASON = 'RolloutHalted';
const MANAGED_RESOURCE_API_VERSION = 'resources.gardener.cloud/v1alpha1';

/** `involved`: the ManagedResource the halt names, as cached (uid and resourceVersion when known). */
export function haltEvent(halt: Halt, involved: KubeObject | undefined, now: number, instance: string): KubeObject {
  const name = halt.managedResource || APISERVER_PROXY_MANAGED_RESOURCE;
  const time = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    // client-go's naming: the object's name and the time in hexadecimal nanoseconds.
    metadata: { name: `${name}.${(BigInt(now) * 1_000_000n).toString(16)}`, namespace: halt.shoot },
    involvedObject: {
      apiVersion: MANAGED_RESOURCE_API_VERSION,
      kind: 'ManagedResource',
      name,
      namespace: halt.shoot,
      ...(involved?.metadata.uid ? { uid: involved.metadata.uid } : {}),
      ...(involved?.metadata.resourceVersion ? { resourceVersion: involved.metadata.resourceVersion } : {}),
    },
    reason: HALT_EVENT_REASON,
    type: 'Warning',
    message: `Rollout halted by shoot ${halt.shoot}: ${halt.condition}${halt.reason ? ` (${halt.reason})` : ''}. No further shoot enters a wave until an operator resumes.`,
    source: { component: EXTENSION_NAME },
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
    reportingComponent: EXTENSION_NAME,
    reportingInstance: instance,
  };
}
