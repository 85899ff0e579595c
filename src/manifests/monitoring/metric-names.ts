// The metric names the rules and the dashboard read, in one place, so a renamed metric breaks a test.
import { METRIC_PREFIX } from '../../observability/metrics.js';

export const M = {
  gateShoots: `${METRIC_PREFIX}gate_shoots`,
  gateShootsByReason: `${METRIC_PREFIX}gate_shoots_by_reason`,
  seedReleaseAware: `${METRIC_PREFIX}seed_release_aware`,
  requests: `${METRIC_PREFIX}webhook_requests_total`,
  outcomes: `${METRIC_PREFIX}webhook_outcomes_total`,
  skipped: `${METRIC_PREFIX}webhook_skipped_total`,
  mutations: `${METRIC_PREFIX}webhook_mutations_total`,
  latencyBucket: `${METRIC_PREFIX}webhook_latency_seconds_bucket`,
  certificateNotAfter: `${METRIC_PREFIX}certificate_not_after_timestamp_seconds`,
  indexSynced: `${METRIC_PREFIX}shoot_index_synced`,
  gardenCalls: `${METRIC_PREFIX}garden_webhook_calls_total`,
  registered: `${METRIC_PREFIX}shoot_webhooks_registered`,
  failing: `${METRIC_PREFIX}shoot_webhooks_failing`,
  pending: `${METRIC_PREFIX}shoot_webhooks_pending`,
} as const;

/** Recording rules on the cache Prometheus: `seed:<metric>:<aggregation>`, federated by the aggregate one. */
export const R = {
  gateShoots: `seed:${METRIC_PREFIX}gate_shoots:max`,
  reviews: `seed:${METRIC_PREFIX}webhook_reviews:rate5m`,
  failedReviews: `seed:${METRIC_PREFIX}webhook_failed_reviews:rate5m`,
  certificateNotAfter: `seed:${METRIC_PREFIX}certificate_not_after_timestamp_seconds:min`,
  indexSynced: `seed:${METRIC_PREFIX}shoot_index_synced:min`,
  failing: `seed:${METRIC_PREFIX}shoot_webhooks_failing:max`,
} as const;
