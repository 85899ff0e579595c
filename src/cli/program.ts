// The command tree. Each command lives in its own file under commands/.
import { Command } from 'commander';
import { certsCommand } from './commands/certs.js';
import { mutateCommand } from './commands/mutate.js';
import { reviewCommand } from './commands/review.js';
import { serveCommand } from './commands/serve.js';

export function buildProgram(): Command {
  const program = new Command('http-proxy-migrator')
    .description('Gardener admission webhooks that carry shoots through GEP-30 (apiserver-proxy over HTTP CONNECT)')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const command of [serveCommand(), reviewCommand(), mutateCommand(), certsCommand()]) {
    program.addCommand(command.exitOverride().showHelpAfterError('(add --help for usage)'));
  }
  return program;
}
