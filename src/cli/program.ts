// The command tree. Each command lives in its own file under commands/.
import { Command } from 'commander';
import { certsCommand } from './commands/certs.js';
import { manifestsCommand } from './commands/manifests.js';
import { mutateCommand } from './commands/mutate.js';
import { preflightCommand } from './commands/preflight.js';
import { registerCommand } from './commands/register.js';
import { reviewCommand } from './commands/review.js';
import { serveCommand } from './commands/serve.js';
import { validateCommand } from './commands/validate.js';
import { auditCommand } from './commands/audit.js';

export function buildProgram(): Command {
  const program = new Command('http-proxy-migrator')
    .description('Gardener admission webhooks that carry shoots through GEP-30 (apiserver-proxy over HTTP CONNECT)')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ http-proxy-migrator certs --out certs\n  $ http-proxy-migrator serve --cert-dir certs --phase tls-tunnel\n' +
        '  $ http-proxy-migrator review --webhook apiserver-proxy -f review.json\n  $ http-proxy-migrator <command> --help\n',
    )
    .exitOverride();
  for (const command of [serveCommand(), reviewCommand(), mutateCommand(), certsCommand(), manifestsCommand(), preflightCommand(), registerCommand(), validateCommand(), auditCommand()]) {
    program.addCommand(command.exitOverride().showHelpAfterError('(add --help for usage)'));
  }
  return program;
}
