// A webhook as data: what it matches, how it fails, and its handler. The server routes from it
// and the manifests generator writes webhook configurations from it, so the two cannot disagree.
import type { Verdict } from './response.js';
import type { AdmissionRequest } from './types.js';

export type WebhookType = 'mutating' | 'validating';
/** Where the webhook configuration lives: in each shoot, in the seed, or in the garden cluster. */
export type WebhookTarget = 'shoot' | 'seed' | 'garden';
export type FailurePolicy = 'Ignore' | 'Fail';

export interface RuleWithOperations {
  operations: ('CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT' | '*')[];
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  scope?: 'Cluster' | 'Namespaced' | '*';
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** What the server knows of one request, whatever the webhook. */
export interface RequestContext {
  /** The segments after the webhook's own path, by the names it declares (see Webhook.pathParameters); absent ones are left out. */
  pathParameters?: Readonly<Record<string, string>>;
  /** The caller's address, for webhooks that identify the shoot by its kube-apiserver pod. */
  remoteAddress?: string;
}

/** What a handler is given: the request's own facts and what the webhook's owner supplies (C). */
export type WebhookContext<C = unknown> = RequestContext & C;

export type Handler<C = unknown> = (request: AdmissionRequest, context: WebhookContext<C>) => Verdict | Promise<Verdict>;

/** Where one webhook configuration entry goes and what it matches there. */
export interface WebhookPlacement {
  target: WebhookTarget;
  /**
   * Served here instead of at the webhook's path, so the server can tell this cluster's calls from the
   * others' (the garden's calls prove the garden configuration is consulted at all).
   */
  path?: string;
  rules: RuleWithOperations[];
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
}

/** One path segment a webhook serves after its path. */
export interface PathParameter {
  name: string;
  /** Whether a segment is a value this parameter takes; any other value is not found. Any non-empty segment when absent. */
  accepts?(segment: string): boolean;
}

// handle and describe are methods, so that webhooks with their own context types can be held, routed
// and rendered together as Webhook[]; whoever runs one supplies the context it declares.
export interface Webhook<C = unknown> {
  /** Short name: the metric label, the CLI's --webhook value, and the first label of the configuration's webhook name. */
  name: string;
  path: string;
  /**
   * Also serve `<path>/<first>/<second>…`: the segments in this order, any number of them left off from the end,
   * handed to the handler by name in `pathParameters`.
   */
  pathParameters?: readonly PathParameter[];
  type: WebhookType;
  failurePolicy: FailurePolicy;
  timeoutSeconds: number;
  /** One entry per cluster the webhook is registered in (gardenlet configuration lives in seed and garden). */
  placements: WebhookPlacement[];
  handle(request: AdmissionRequest, context: WebhookContext<C>): Verdict | Promise<Verdict>;
  /** What the webhook does in this context, in a few words, for the server's start-up banner. */
  describe?(context: C): string;
}
