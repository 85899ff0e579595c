// Maps a request path to its webhook: exact paths, and `<path>/<one segment>` where a webhook takes a parameter.
import type { Webhook, WebhookTarget } from '../admission/webhook.js';
import { parseDuration } from '../util/go-duration.js';

export interface Route {
  webhook: Webhook;
  pathParameter?: string;
  /** Set when the path belongs to one placement (see WebhookPlacement.path). */
  target?: WebhookTarget;
  /** The apiserver's remaining deadline for this call (`?timeout=10s`), in milliseconds. */
  timeoutMs?: number;
}

export class WebhookRouter {
  private readonly exact = new Map<string, Webhook>();
  private readonly ofPlacement = new Map<string, { webhook: Webhook; target: WebhookTarget }>();
  private readonly withParameter = new Map<string, Webhook>();

  constructor(webhooks: readonly Webhook[]) {
    const taken = (path: string): boolean => this.exact.has(path) || this.ofPlacement.has(path);
    for (const webhook of webhooks) {
      if (taken(webhook.path)) throw new Error(`two webhooks share the path ${webhook.path}`);
      this.exact.set(webhook.path, webhook);
      if (webhook.pathParameter) this.withParameter.set(webhook.path, webhook);
      for (const placement of webhook.placements) {
        if (!placement.path) continue;
        if (taken(placement.path)) throw new Error(`two webhooks share the path ${placement.path}`);
        this.ofPlacement.set(placement.path, { webhook, target: placement.target });
      }
    }
  }

  /** `url` is the raw request target, query included. */
  match(url: string): Route | undefined {
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const timeoutMs = queryAt === -1 ? undefined : parseTimeout(url.slice(queryAt + 1));
    const webhook = this.exact.get(path);
    if (webhook) return { webhook, timeoutMs };
    const placed = this.ofPlacement.get(path);
    if (placed) return { webhook: placed.webhook, target: placed.target, timeoutMs };
    const slash = path.lastIndexOf('/');
    if (slash <= 0) return undefined;
    const parent = this.withParameter.get(path.slice(0, slash));
    if (!parent) return undefined;
    return { webhook: parent, pathParameter: decodeSegment(path.slice(slash + 1)), timeoutMs };
  }
}

/** The apiserver sends `timeout=<N>s` (whole seconds, rounded up); any Go duration like `500ms` is accepted too. */
export function parseTimeout(query: string): number | undefined {
  const value = new URLSearchParams(query).get('timeout');
  const ms = value ? parseDuration(value) : undefined;
  return ms !== undefined && ms > 0 ? ms : undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
