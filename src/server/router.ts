// Maps a request path to its webhook: exact paths, and `<path>/<one segment>` where a webhook takes a parameter.
import type { Webhook } from '../admission/webhook.js';
import { parseDuration } from '../util/go-duration.js';

export interface Route {
  webhook: Webhook;
  pathParameter?: string;
  /** The apiserver's remaining deadline for this call (`?timeout=10s`), in milliseconds. */
  timeoutMs?: number;
}

export class WebhookRouter {
  private readonly exact = new Map<string, Webhook>();
  private readonly withParameter = new Map<string, Webhook>();

  constructor(webhooks: readonly Webhook[]) {
    for (const webhook of webhooks) {
      if (this.exact.has(webhook.path)) throw new Error(`two webhooks share the path ${webhook.path}`);
      this.exact.set(webhook.path, webhook);
      if (webhook.pathParameter) this.withParameter.set(webhook.path, webhook);
    }
  }

  /** `url` is the raw request target, query included. */
  match(url: string): Route | undefined {
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const timeoutMs = queryAt === -1 ? undefined : parseTimeout(url.slice(queryAt + 1));
    const webhook = this.exact.get(path);
    if (webhook) return { webhook, timeoutMs };
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
