// `mutate`: what the mutating webhooks would make of objects, offline, through the server's own handler path.
import { Command, Option } from '@commander-js/extra-typings';
import yaml from 'js-yaml';
import { mutateOffline } from '../../admission/offline.js';
import type { KubeObject } from '../../admission/types.js';
import { webhooks } from '../../../webhooks/index.js';
import { UsageError } from '../errors.js';
import { parseDocuments, readText } from '../../util/input.js';
import { nestsDeeperThan } from '../nesting.js';
import { addSettingsOptions, settingsFrom } from '../settings-options.js';
import { shootPathFrom, targetOption } from '../shoot-path-options.js';

type Output = 'yaml' | 'json' | 'patch';

/**
 * `mutate` writes whole objects, and its writers recurse; real Kubernetes objects nest a few dozen
 * levels. (The server and `review` answer any depth: their answers never carry the object.)
 */
const MAX_MUTATE_DEPTH = 1000;

export function mutateCommand() {
  const command = new Command('mutate')
    .description('print what the mutating webhooks make of objects (one object, a List, or YAML documents)')
    .requiredOption('-f, --file <file>', 'objects as YAML or JSON (- for standard input)')
    .addOption(
      new Option('-o, --output <format>', 'print the mutated objects, or the JSON Patch per object')
        .choices(['yaml', 'json', 'patch'])
        .default('yaml'),
    )
    .option('--technical-id <id>', "the shoot's technical ID (shoot--<project>--<name>), as the per-shoot webhook path carries it")
    .addOption(targetOption());
  return addSettingsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  $ http-proxy-migrator mutate -f examples/apiserver-proxy-config.yaml --technical-id shoot--foo--bar --phase unified\n' +
        '  $ kubectl -n kube-system get deploy vpn-shoot -o yaml | http-proxy-migrator mutate -f - --phase unified -o patch\n',
    )
    .action(async (opts) => {
      const file = opts.file;
      const documents = parseDocuments(readText(file), file === '-' ? 'standard input' : file);
      if (documents.length === 0) throw new UsageError(`${file} holds no objects`);
      documents.forEach((document, index) => {
        if (nestsDeeperThan(document, MAX_MUTATE_DEPTH)) {
          const where = documents.length > 1 ? `${file} document ${index + 1}` : file;
          throw new UsageError(
            `${where} nests deeper than ${MAX_MUTATE_DEPTH} levels, more than mutate can write out; 'review' answers such an object as the server does`,
          );
        }
      });
      const context = { settings: settingsFrom(opts), services: {}, pathParameters: shootPathFrom(opts) };

      const mutateOne = async (value: unknown, where: string) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          throw new UsageError(`${where} is not a Kubernetes object`);
        }
        const object = value as KubeObject;
        if (typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') {
          throw new UsageError(`${where} has no apiVersion and kind`);
        }
        const result = await mutateOffline(webhooks, object, context);
        const ref = `${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name ?? '<unnamed>'}`;
        if (result.webhooks.length === 0) process.stderr.write(`${ref}: no webhook handles this object; unchanged\n`);
        for (const warning of result.warnings) process.stderr.write(`warning: ${ref}: ${warning}\n`);
        return result;
      };

      const results = [];
      for (const [index, document] of documents.entries()) {
        const where = documents.length > 1 ? `${file} document ${index + 1}` : file;
        if (isList(document)) {
          const items = [];
          for (const [i, item] of document.items.entries()) items.push(await mutateOne(item, `${where} item ${i + 1}`));
          results.push({ list: document, items });
        } else {
          results.push({ single: await mutateOne(document, where) });
        }
      }
      process.stdout.write(render(results, opts.output));
    });
}

type Rendered =
  | { single: { object: KubeObject; patch: unknown[] } }
  | { list: Record<string, unknown>; items: { object: KubeObject; patch: unknown[] }[] };

function render(results: Rendered[], output: Output): string {
  const values = results.map((r) =>
    'single' in r
      ? output === 'patch'
        ? r.single.patch
        : r.single.object
      : output === 'patch'
        ? r.items.map((i) => i.patch)
        : { ...r.list, items: r.items.map((i) => i.object) },
  );
  if (output === 'yaml') return values.map((v) => yaml.dump(v, { lineWidth: -1, noRefs: true })).join('---\n');
  return `${JSON.stringify(values.length === 1 ? values[0] : values, null, 2)}\n`;
}

function isList(value: unknown): value is Record<string, unknown> & { items: unknown[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { items?: unknown }).items) &&
    typeof (value as { kind?: unknown }).kind === 'string' &&
    (value as { kind: string }).kind.endsWith('List')
  );
}
