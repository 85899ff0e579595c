// `review`: the whole handler path offline on an AdmissionReview file, printing the answer the server
// would give. The operator's dry run before deploying.
import { Command } from '@commander-js/extra-typings';
import { ReviewDecodeError, decodeReviewValue } from '../../admission/decode.js';
import { toAdmissionReview } from '../../admission/encode.js';
import { runWebhook } from '../../admission/run.js';
import { openShootSource } from '../../gardener/shoot-source.js';
import { createLogger } from '../../observability/logger.js';
import { findWebhook, webhooks } from '../../../webhooks/index.js';
import { UsageError, exitWithVerdict } from '../errors.js';
import { gardenerVersionOption, seedsFileOption } from '../gardener-version-option.js';
import { loadSeedFile } from '../seed-file.js';
import { readSingleObject } from '../../util/input.js';
import { nestsDeeperThan } from '../nesting.js';
import { addSettingsOptions, settingsFrom } from '../settings-options.js';
import { shootPathFrom, targetOption } from '../shoot-path-options.js';

export function reviewCommand() {
  const command = new Command('review')
    .description(
      'answer an AdmissionReview file offline, exactly as the server would, and print the response review; exit 0 allowed, 1 denied, 2 bad input',
    )
    .requiredOption('--webhook <name>', `webhook to run (${webhooks.map((w) => w.name).join(', ')})`)
    .requiredOption('-f, --file <file>', 'AdmissionReview as JSON or YAML (- for standard input)')
    .option('--technical-id <id>', "the shoot's technical ID, as the per-shoot path would carry it")
    .addOption(targetOption())
    .option('--shoots <file>', 'shoot snapshot for the gardenlet-config webhook')
    .addOption(seedsFileOption())
    .addOption(gardenerVersionOption());
  return addSettingsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  $ http-proxy-migrator review --webhook apiserver-proxy --technical-id shoot--foo--bar -f examples/review.apiserver-proxy.json\n' +
        '  $ http-proxy-migrator review --webhook gardenlet-config --shoots examples/shoots.yaml -f examples/review.gardenlet-config.json\n' +
        '\nExit status: 0 allowed, 1 denied, 2 bad input.\n',
    )
    .action(async (opts) => {
      const webhook = findWebhook(opts.webhook);
      if (!webhook)
        throw new UsageError(`no webhook named ${JSON.stringify(opts.webhook)}; known: ${webhooks.map((w) => w.name).join(', ')}`);
      const pathParameters = shootPathFrom(opts);
      const file = opts.file;
      let decoded;
      try {
        decoded = decodeReviewValue(asOnTheWire(readSingleObject(file)));
      } catch (err) {
        if (err instanceof ReviewDecodeError) throw new UsageError(`${file}: ${err.message}`);
        throw err;
      }
      const shoots = await openShootSource({
        shootsFile: opts.shoots,
        seeds: opts.seeds === undefined ? undefined : loadSeedFile(opts.seeds),
        logger: createLogger('silent'),
      });
      try {
        const { verdict } = await runWebhook(webhook, decoded.request, {
          settings: settingsFrom(opts),
          services: shoots.services,
          pathParameters,
        });
        console.log(JSON.stringify(toAdmissionReview(decoded.apiVersion, decoded.request.uid, verdict), null, 2));
        // Only where the shoot mattered: vpn-shoot on the bare path answers as configurations of earlier versions get it.
        if (webhook.pathParameters?.length && opts.technicalId === undefined && verdict.reason === 'unknown-shoot') {
          process.stderr.write(
            `note: the server takes the shoot from the path (${webhook.path}/<technical-id>); ` +
              `give --technical-id shoot--<project>--<name> to answer as that shoot's webhook would\n`,
          );
        }
        exitWithVerdict(verdict.allowed);
      } finally {
        shoots.stop();
      }
    });
}

/**
 * The review as the server would parse it from JSON: YAML-only values (timestamps read as dates) become
 * what JSON makes of them. Only a JSON file can nest deeper than YAML's reader allows, and JSON holds
 * nothing to convert, so such a file is taken as parsed: writing it out again would overflow the stack
 * (an object nested 100,000 deep), and the server answers it.
 */
function asOnTheWire(review: Record<string, unknown>): unknown {
  return nestsDeeperThan(review, 1000) ? review : JSON.parse(JSON.stringify(review));
}
