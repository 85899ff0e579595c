// Bad input an operator gave (a file, a flag value, a kubeconfig), raised by whichever layer reads it.
// The command line reports it as one line with exit code 2; it is never a crash.
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
