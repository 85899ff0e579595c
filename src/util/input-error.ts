// Bad input (a file, a flag value, a kubeconfig, a review body), raised by whichever layer reads it.
// Never a crash: the command line answers it with one line and exit code 2 (src/cli/errors.ts), the
// server with 400 (src/server/http-errors.ts).
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
