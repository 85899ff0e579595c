// Input the preflight cannot judge: malformed objects or Envoy constructs it does not evaluate.
// The CLI reports it as bad input (exit 2); the live check as "not ready", since it cannot vouch for the seed.
import { InputError } from '../util/input-error.js';

export class PreflightInputError extends InputError {}
