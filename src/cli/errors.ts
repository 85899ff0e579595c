// Errors the CLI reports as one line and exit code 2 (bad input), distinct from a verdict's exit code.
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
