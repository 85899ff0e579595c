// Input the preflight cannot judge: malformed objects or Envoy constructs it does not evaluate.
// The CLI reports it as bad input (exit 2); the live check as "not ready", since it cannot vouch for the seed.
export class PreflightInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightInputError';
  }
}
