// `certs`: a CA and a serving certificate for development or for bringing your own into a Secret.
import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { DEFAULT_NAMESPACE, SERVICE_NAME } from '../../gardener/extension-identity.js';
import { defaultHosts } from '../../certs/hosts.js';

export function certsCommand() {
  return new Command('certs')
    .description('generate a CA (ca.crt, ca.key) and a serving certificate signed by it (tls.crt, tls.key)')
    .requiredOption('--out <dir>', 'directory to write the files into')
    .option('--dns <name...>', 'extra DNS names or IPs for the serving certificate, besides localhost, 127.0.0.1 and the Service names')
    .option('--service <name>', 'Service name for the default SANs', SERVICE_NAME)
    .option('--namespace <ns>', 'Service namespace for the default SANs', DEFAULT_NAMESPACE)
    .option('--days <n>', 'validity in days', parseDays, 365)
    .addHelpText(
      'after',
      '\nExamples:\n  $ http-proxy-migrator certs --out certs\n  $ http-proxy-migrator certs --out /tmp/c --dns webhook.example.svc --days 30\n',
    )
    .action(async (opts) => {
      // The X.509 library is most of the CLI's start-up time: loaded only by the command that needs it.
      const { generateCertificates, writeCertificates } = await import('../../certs/generate.js');
      // Extra names add to the defaults: the apiserver dials the Service names whatever else is served.
      const hosts = [...new Set([...defaultHosts(opts.service, opts.namespace), ...(opts.dns ?? [])])];
      writeCertificates(opts.out, await generateCertificates({ hosts, days: opts.days }));
      console.log(`wrote ca.crt, ca.key, tls.crt, tls.key to ${opts.out} (SANs: ${hosts.join(', ')}; ${opts.days} days)`);
    });
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return days;
}
