// The command line's one mapping from errors to exit codes: bad input from any layer is exit 2 with one
// line, anything else exit 1; commander's own errors keep their message (commander printed it).
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ReviewDecodeError, decodeReview } from '../../src/admission/decode.js';
import { EXIT_BAD_INPUT, EXIT_NEGATIVE, EXIT_OK, UsageError, exitFor } from '../../src/cli/errors.js';
import { PreflightInputError } from '../../src/preflight/errors.js';
import { CaBundleError, parseCaBundle } from '../../src/certs/ca-bundle.js';
import { InputError } from '../../src/util/input-error.js';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('exitFor', () => {
  it.each([
    ['a usage error', new UsageError('--phase: unknown')],
    ['a preflight input error', new PreflightInputError('unsupported matcher')],
    ['a CA bundle error', thrownBy(() => parseCaBundle('', 'ca.crt'))],
    ['a review that does not decode', thrownBy(() => decodeReview('{}'))],
  ])('answers %s with exit 2 and its one line', (_name, err) => {
    expect(err).toBeInstanceOf(InputError);
    expect(exitFor(err)).toEqual({ code: EXIT_BAD_INPUT, message: `error: ${(err as Error).message}` });
  });

  it('names the class of each layer, so a log or a test can tell them apart', () => {
    expect(thrownBy(() => parseCaBundle('', 'ca.crt'))).toBeInstanceOf(CaBundleError);
    expect(thrownBy(() => decodeReview('{}'))).toBeInstanceOf(ReviewDecodeError);
    expect(new PreflightInputError('x').name).toBe('PreflightInputError');
    expect(new CaBundleError('x').name).toBe('CaBundleError');
  });

  it('answers any other error with exit 1 and its message', () => {
    expect(exitFor(new Error('connection refused'))).toEqual({ code: EXIT_NEGATIVE, message: 'error: connection refused' });
    expect(exitFor('thrown string')).toEqual({ code: EXIT_NEGATIVE, message: 'error: thrown string' });
  });

  it("leaves commander's message to commander: --help and --version exit 0, a bad command line 2", () => {
    expect(exitFor(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ code: EXIT_OK });
    expect(exitFor(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--bogus'"))).toEqual({ code: EXIT_BAD_INPUT });
  });
});
