// `manifests`: the objects that install the extension, generated from the webhook registry.
import { statSync } from 'node:fs';
import { Command, Option } from '@commander-js/extra-typings';
import { readCaBundleCertificates } from '../../certs/ca-bundle.js';
import { DEFAULT_NAMESPACE } from '../../gardener/extension-identity.js';
import { manifestFiles } from '../../manifests/bundle.js';
import { technicalIdProblem } from '../../gardener/technical-id.js';
import { DEFAULT_IMAGE, REGISTER_MODES, WAVES_KEY } from '../../manifests/names.js';
import { writeManifestFiles } from '../../manifests/render.js';
import { GARDEN_CLIENT_CONFIGS } from '../../../webhooks/webhook-configurations.js';
import { webhooks } from '../../../webhooks/index.js';
import { targetOption } from '../shoot-path-options.js';
import { UsageError } from '../errors.js';
import { addSettingsOptions, settingsFrom } from '../settings-options.js';
import { readWavesFile } from '../waves-file.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// registry/path:tag or @digest; enough to catch a pasted command line or a stray space.
const IMAGE_REFERENCE =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/i;

export function manifestsCommand() {
  const command = new Command('manifests')
    .description('write the install manifests (server, seed, garden and shoot webhook configurations) into a directory')
    .requiredOption('--out <dir>', 'directory to write server.yaml, seed-webhooks.yaml, garden-webhooks.yaml, shoot-webhooks.yaml into')
    .option('--namespace <ns>', 'namespace of the server', DEFAULT_NAMESPACE)
    .option('--image <image>', 'container image of the server', DEFAULT_IMAGE)
    .option('--ca-file <file>', "PEM CA bundle that signed the serving certificate, written as the configurations' caBundle")
    .option('--shoot <technical-id>', "write the shoot configuration for this shoot's per-shoot path")
    .addOption(targetOption('--shoot'))
    .option(
      '--garden-kubeconfig-secret <name>',
      'Secret (key kubeconfig) the server mounts to watch shoots in the garden cluster (with --waves, the register container too, for the health gate)',
    )
    .option(
      '--waves <file>',
      'the rollout waves configuration (see examples/rollout-waves.yaml): a ConfigMap the register container mounts and runs the rollout from (register --waves)',
    )
    .addOption(
      new Option(
        '--register-shoots <mode>',
        'which shoots get the shoot webhooks: those with the Extension, all, or off (no register controller)',
      )
        .choices(REGISTER_MODES)
        .default('extension'),
    )
    .addOption(
      new Option(
        '--garden-client-config <mode>',
        "how the garden's API server reaches the garden webhook: url (https://<service>.<namespace>, as Gardener registers its own) or service (a Service reference, for a garden API server without cluster DNS)",
      )
        .choices(GARDEN_CLIENT_CONFIGS)
        .default('url'),
    )
    .option(
      '--controller-chart <oci-ref>',
      "OCI Helm chart that installs the server on a seed: also writes the garden's ControllerDeployment and ControllerRegistration (garden-extension.yaml)",
    );
  return addSettingsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  $ http-proxy-migrator manifests --out manifests\n' +
        '  $ http-proxy-migrator manifests --out out --image registry.example.com/http-proxy-migrator:0.1.0 --ca-file certs/ca.crt --phase unified\n' +
        '  $ http-proxy-migrator manifests --out out/shoot--foo--bar --ca-file certs/ca.crt --shoot shoot--foo--bar\n' +
        '  $ http-proxy-migrator manifests --out out --waves examples/rollout-waves.yaml --garden-kubeconfig-secret garden-kubeconfig\n',
    )
    .action((opts) => {
      const namespace = opts.namespace;
      if (!DNS_LABEL.test(namespace)) throw new UsageError(`--namespace: ${JSON.stringify(namespace)} is not a valid namespace name`);
      const image = opts.image;
      if (!IMAGE_REFERENCE.test(image)) throw new UsageError(`--image: ${JSON.stringify(image)} is not an image reference`);
      const technicalId = opts.shoot;
      const problem = technicalId === undefined ? undefined : technicalIdProblem(technicalId);
      if (problem) throw new UsageError(`--shoot ${JSON.stringify(technicalId)}: ${problem}`);
      const target = opts.target;
      if (target !== undefined && technicalId === undefined)
        throw new UsageError('--target needs --shoot: the webhook path carries the target after the technical ID');
      const secret = opts.gardenKubeconfigSecret;
      if (secret !== undefined && !DNS_LABEL.test(secret))
        throw new UsageError(`--garden-kubeconfig-secret: ${JSON.stringify(secret)} is not a valid Secret name`);
      const chart = opts.controllerChart;
      if (chart !== undefined && !IMAGE_REFERENCE.test(chart.replace(/^oci:\/\//, ''))) {
        throw new UsageError(`--controller-chart: ${JSON.stringify(chart)} is not an OCI reference`);
      }
      if (opts.waves !== undefined && opts.registerShoots === 'off')
        throw new UsageError('--waves needs the register controller: the rollout runs in it (--register-shoots extension or all)');
      // Validated as register validates it at start: a bad file must not reach a Deployment that crash-loops on it.
      const waves = opts.waves === undefined ? undefined : readWavesFile(opts.waves);
      if (waves && !fitsConfigMap(WAVES_KEY, waves.text))
        throw new UsageError(`--waves: ${opts.waves} is larger than a ConfigMap holds (1 MiB)`);
      const caFile = opts.caFile;
      const out = opts.out;
      if (isFile(out)) throw new UsageError(`--out: ${out} is a file, not a directory`);
      const files = manifestFiles(webhooks, {
        namespace,
        image,
        caBundle: caFile === undefined ? undefined : caBundleOf(caFile),
        technicalId,
        target,
        settings: settingsFrom(opts),
        gardenKubeconfigSecret: secret,
        registerShoots: opts.registerShoots,
        controllerChart: chart,
        gardenClientConfig: opts.gardenClientConfig,
        wavesText: waves?.text,
      });
      for (const path of writeManifestFiles(out, files)) console.log(`wrote ${path}`);
    });
}

/** The bundle as given, once every certificate in it is a CA that parses: a wrong file must not reach the API servers. */
function caBundleOf(file: string): string {
  const { text, certificates } = readCaBundleCertificates(file);
  if (certificates.some((c) => !c.ca)) throw new UsageError(`--ca-file: ${file} holds a certificate that is not a CA`);
  return text;
}

/** Kubernetes refuses a ConfigMap whose keys and values together exceed 1 MiB: refused here, not at apply. */
function fitsConfigMap(key: string, value: string): boolean {
  return Buffer.byteLength(key) + Buffer.byteLength(value) <= 1024 * 1024;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
