// Maps a request path to its webhook: exact paths, and `<path>/<segment>…` where a webhook declares path parameters.
import type { PathParameter, Webhook, WebhookTarget } from '../admission/webhook.js';
import { parseDuration } from '../util/go-duration.js';

export interface Route {
  webhook: Webhook;
  /** The segments after the webhook's path, by parameter name; set only when there are any. */
  pathParameters?: Record<string, string>;
  /** Set when the path belongs to one placement (see WebhookPlacement.path). */
  target?: WebhookTarget;
  /** The apiserver's remaining deadline for this call (`?timeout=10s`), in milliseconds. */
  timeoutMs?: number;
}

export class WebhookRouter {
  private readonly exact = new Map<string, Webhook>();
  private readonly ofPlacement = new Map<string, { webhook: Webhook; target: WebhookTarget }>();
  private readonly withParameters = new Map<string, { webhook: Webhook; parameters: readonly PathParameter[] }>();
  /** The most segments any webhook takes: how far up a path the router looks for its webhook. */
  private maxParameters = 0;

  constructor(webhooks: readonly Webhook[]) {
    const taken = (path: string): boolean => this.exact.has(path) || this.ofPlacement.has(path);
    for (const webhook of webhooks) {
      if (taken(webhook.path)) throw new Error(`two webhooks share the path ${webhook.path}`);
      this.exact.set(webhook.path, webhook);
      const parameters = webhook.pathParameters ?? [];
      if (parameters.length > 0) {
        checkParameterNames(webhook, parameters);
        this.withParameters.set(webhook.path, { webhook, parameters });
        this.maxParameters = Math.max(this.maxParameters, parameters.length);
      }
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
    // Up the path one segment at a time, never further than the longest parameter list.
    let slash = path.length;
    for (let taken = 1; taken <= this.maxParameters; taken++) {
      slash = path.lastIndexOf('/', slash - 1);
      if (slash <= 0) return undefined;
      const parent = this.withParameters.get(path.slice(0, slash));
      if (!parent) continue;
      const pathParameters = readSegments(path.slice(slash + 1).split('/'), parent.parameters);
      return pathParameters ? { webhook: parent.webhook, pathParameters, timeoutMs } : undefined;
    }
    return undefined;
  }
}

/** The segments by name, or undefined when there are more than declared, one is empty, or one is a value its parameter does not take. */
function readSegments(segments: readonly string[], parameters: readonly PathParameter[]): Record<string, string> | undefined {
  if (segments.length > parameters.length) return undefined;
  const named: Record<string, string> = {};
  for (const [index, raw] of segments.entries()) {
    const parameter = parameters[index]!;
    const segment = decodeSegment(raw);
    if (segment === '' || (parameter.accepts && !parameter.accepts(segment))) return undefined;
    named[parameter.name] = segment;
  }
  return named;
}

function checkParameterNames(webhook: Webhook, parameters: readonly PathParameter[]): void {
  const names = new Set<string>();
  for (const { name } of parameters) {
    if (name === '' || names.has(name)) throw new Error(`webhook ${webhook.name}: path parameter names must be non-empty and distinct`);
    names.add(name);
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
