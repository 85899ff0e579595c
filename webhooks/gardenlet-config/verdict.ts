// The admission answer to a decision: admitted with its warnings, denied naming the blocking shoots (403) or
// the invalid field (422), or refused while the seed's gates cannot be checked (503).
import { allowed, denied, errored, type Verdict } from '../../src/admission/response.js';
import { denialMessage, releaseClause } from './message.js';
import type { Decision } from './validate.js';

export function toVerdict(decision: Decision): Verdict {
  switch (decision.outcome) {
    case 'admit':
      return allowed(...decision.warnings);
    case 'deny':
      return denied(denialMessage(decision.seed, decision.blocking, decision.release, decision.refusals), 403, ...decision.warnings);
    case 'invalid':
      return denied(`gardenlet configuration refused: ${decision.reason}`, 422);
    case 'unavailable':
      return errored(
        `cannot check the feature gates of seed ${decision.seed}: ${decision.reason}; refused until it can be checked [${releaseClause(decision.release)}]`,
        503,
      );
  }
}
