// `preflight`: does the seed's Istio ingress route what a phase will send? Run it on the seed's objects
// before switching a phase; the server runs the same check live with --seed-kubeconfig.
import { Command } from '@commander-js/extra-typings';
import { checkIngress, type IngressVerdict } from '../../preflight/check.js';
import { PreflightInputError } from '../../preflight/errors.js';
import { collectIstioObjects } from '../../preflight/istio-objects.js';
import { technicalIdProblem } from '../../gardener/technical-id.js';
import { phaseTraffic, SAMPLE_TECHNICAL_IDS } from '../../preflight/phase-traffic.js';
import { UsageError, exitWithVerdict } from '../errors.js';
import { parseDocuments, readText } from '../../util/input.js';
import { addSettingsOptions, settingsFrom } from '../settings-options.js';

export function preflightCommand() {
  const command = new Command('preflight')
    .description("check that the seed's Istio ingress routes the phase's CONNECTs (exit 0 ready, 1 not ready, 2 bad input)")
    .requiredOption('-f, --file <file>', 'EnvoyFilters and Gateways of the seed as YAML or JSON, Lists allowed (- for standard input)')
    .option('--technical-id <id...>', `shoot technical IDs to test (default: ${SAMPLE_TECHNICAL_IDS.join(', ')})`)
    .option('-v, --verbose', 'print every destination tested and how it is routed', false);
  return addSettingsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ kubectl get envoyfilters,gateways -A -o yaml > istio.yaml\n' +
        '  $ http-proxy-migrator preflight --phase tls-tunnel -f istio.yaml\n' +
        '  $ http-proxy-migrator preflight --phase unified --istio-tls-termination --technical-id shoot--foo--bar -f istio.yaml\n',
    )
    .action((opts) => {
      const technicalIds = opts.technicalId ?? SAMPLE_TECHNICAL_IDS;
      for (const id of technicalIds) {
        const problem = technicalIdProblem(id);
        if (problem) throw new UsageError(`--technical-id ${JSON.stringify(id)}: ${problem}`);
      }
      const file = opts.file;
      let verdict: IngressVerdict;
      try {
        const { objects } = collectIstioObjects(parseDocuments(readText(file), file));
        if (objects.length === 0) throw new UsageError(`${file} holds no EnvoyFilter or Gateway`);
        verdict = checkIngress(objects, phaseTraffic(settingsFrom(opts), technicalIds));
      } catch (err) {
        if (err instanceof PreflightInputError) throw new UsageError(`${file}: ${err.message}`);
        throw err;
      }
      console.log(report(verdict, opts.verbose));
      exitWithVerdict(verdict.ready);
    });
}

function report(verdict: IngressVerdict, verbose: boolean): string {
  const lines = [`${verdict.ready ? 'ready' : 'not ready'}: ${verdict.reason}`];
  for (const gateway of verdict.gateways) {
    for (const problem of gateway.problems) lines.push(`  ${gateway.namespace}: ${problem}`);
    for (const outcome of gateway.outcomes) {
      if (outcome.routed && !verbose) continue;
      const [key, value] = Object.entries(outcome.probe.headers)[0]!;
      lines.push(
        `  ${gateway.namespace}: ${outcome.routed ? 'routed' : 'NOT routed'} ${outcome.probe.client} ${key}: ${value}: ${outcome.explanation}`,
      );
    }
    for (const note of gateway.notes) lines.push(`  ${gateway.namespace}: note: ${note}`);
  }
  return lines.join('\n');
}
