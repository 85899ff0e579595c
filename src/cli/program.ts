// The command tree. Each command lives in its own file under commands/.
import { Command, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { certsCommand } from './commands/certs.js';
import { manifestsCommand } from './commands/manifests.js';
import { mutateCommand } from './commands/mutate.js';
import { preflightCommand } from './commands/preflight.js';
import { registerCommand } from './commands/register.js';
import { reviewCommand } from './commands/review.js';
import { serveCommand } from './commands/serve.js';
import { validateCommand } from './commands/validate.js';
import { auditCommand } from './commands/audit.js';

export function buildProgram() {
  const program = new Command('http-proxy-migrator')
    .description('Gardener admission webhooks that carry shoots through GEP-30 (apiserver-proxy over HTTP CONNECT)')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ http-proxy-migrator certs --out certs\n  $ http-proxy-migrator serve --cert-dir certs --phase tls-tunnel\n' +
        '  $ http-proxy-migrator review --webhook apiserver-proxy --technical-id shoot--foo--bar -f examples/review.apiserver-proxy.json\n' +
        '  $ http-proxy-migrator <command> --help\n',
    )
    .exitOverride();
  for (const command of [
    serveCommand(),
    reviewCommand(),
    mutateCommand(),
    certsCommand(),
    manifestsCommand(),
    preflightCommand(),
    registerCommand(),
    validateCommand(),
    auditCommand(),
  ]) {
    program.addCommand(requiredAfterUnknown(command).exitOverride().showHelpAfterError('(add --help for usage)'));
  }
  return program;
}

/**
 * Commander checks required options before unknown ones, so `mutate --bogus` complained about the
 * missing `-f` and never named `--bogus`. Required options are checked just before the action instead,
 * after commander has refused unknown options (and after any --config file has been applied).
 */
function requiredAfterUnknown(command: CommandUnknownOpts): CommandUnknownOpts {
  const required = command.options.filter((option) => option.mandatory);
  for (const option of required) option.makeOptionMandatory(false);
  return command.hook('preAction', (cmd) => {
    for (const option of required) {
      if (cmd.getOptionValue(option.attributeName()) === undefined) {
        cmd.error(`error: required option '${option.flags}' not specified`, { code: 'commander.missingMandatoryOptionValue', exitCode: 2 });
      }
    }
  });
}
