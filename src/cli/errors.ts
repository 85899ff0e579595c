import { InputError } from '../util/input-error.js';

// A command line the CLI refuses (conflicting or missing flags): bad input like any other, exit code 2.
export class UsageError extends InputError {}
