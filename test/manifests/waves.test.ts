// `manifests --waves`: the register container runs the rollout from a ConfigMap holding the waves file,
// with the garden kubeconfig where one is given, and the pods roll when the waves change.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NAMESPACE } from '../../src/gardener/extension-identity.js';
import { manifestFiles, type ManifestOptions } from '../../src/manifests/bundle.js';
import { DEFAULT_IMAGE } from '../../src/manifests/names.js';
import { renderManifestFile } from '../../src/manifests/render.js';
import { parseWavesConfig } from '../../src/rollout/waves-config.js';
import { webhooks } from '../../webhooks/index.js';
import { runCli } from '../support/cli.js';
import { validateObject } from './schema.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated objects, navigated by the assertions
type Json = Record<string, any>;
const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'rollout-waves.yaml');
const WAVES = readFileSync(EXAMPLE, 'utf8');
const WITH_WAVES: ManifestOptions = { namespace: 'extension-http-proxy-migrator-x1y2z', image: DEFAULT_IMAGE, wavesText: WAVES };
const scratch = mkdtempSync(join(tmpdir(), 'hpm-manifests-waves-'));

function serverObjects(options: ManifestOptions): Json[] {
  return manifestFiles(webhooks, options).find((f) => f.name === 'server.yaml')!.objects as Json[];
}
function deploymentOf(options: ManifestOptions): Json {
  return serverObjects(options).find((o) => o.kind === 'Deployment')!;
}
function container(options: ManifestOptions, name: string): Json {
  return deploymentOf(options).spec.template.spec.containers.find((c: Json) => c.name === name);
}
const checksumOf = (options: ManifestOptions): string | undefined => deploymentOf(options).spec.template.metadata.annotations['checksum/configmap-http-proxy-migrator-waves'];

describe('manifests with waves', () => {
  it('adds a ConfigMap with the waves text as given, in the server namespace, before the Deployment', () => {
    const objects = serverObjects(WITH_WAVES);
    const kinds = objects.map((o) => o.kind);
    expect(kinds.indexOf('ConfigMap')).toBeLessThan(kinds.indexOf('Deployment'));
    const configMap = objects.find((o) => o.kind === 'ConfigMap')!;
    expect(configMap.metadata.name).toBe('http-proxy-migrator-waves');
    expect(configMap.metadata.namespace).toBe('extension-http-proxy-migrator-x1y2z');
    expect(configMap.data).toEqual({ 'waves.yaml': WAVES });
    for (const object of objects) expect(() => validateObject(object), `${object.kind} ${object.metadata.name}`).not.toThrow();
  });

  it('the rendered ConfigMap holds the same text, comments included, and it parses as the waves', () => {
    const rendered = renderManifestFile(manifestFiles(webhooks, WITH_WAVES).find((f) => f.name === 'server.yaml')!);
    const configMap = yaml.loadAll(rendered).find((o) => (o as Json).kind === 'ConfigMap') as Json;
    expect(configMap.data['waves.yaml']).toBe(WAVES);
    expect(parseWavesConfig(yaml.load(configMap.data['waves.yaml'])).waves.map((w) => w.name)).toEqual(['operators', 'canaries', 'evaluation-and-development', 'ten-percent', 'rest']);
  });

  it("the register container reads the file where the ConfigMap is mounted, read-only; the server's container does not", () => {
    const deployment = deploymentOf(WITH_WAVES);
    const register = container(WITH_WAVES, 'register');
    const wavesArgs = register.args.filter((a: string) => a.startsWith('--waves='));
    expect(wavesArgs).toHaveLength(1);
    const path = wavesArgs[0].slice('--waves='.length);
    const mount = register.volumeMounts.find((m: Json) => path.startsWith(`${m.mountPath}/`));
    expect(mount).toMatchObject({ readOnly: true });
    const volume = deployment.spec.template.spec.volumes.find((v: Json) => v.name === mount.name);
    expect(volume).toEqual({ name: mount.name, configMap: { name: 'http-proxy-migrator-waves' } });
    // The ConfigMap's key is the file name the argument names.
    expect(path.slice(mount.mountPath.length + 1)).toBe('waves.yaml');
    const server = container(WITH_WAVES, 'http-proxy-migrator');
    expect(server.args.some((a: string) => a.startsWith('--waves'))).toBe(false);
    expect(server.volumeMounts.map((m: Json) => m.name)).not.toContain(mount.name);
    // The migration settings stay those of serve: the rollout judges "in the target" with the webhook's own.
    expect(register.args.filter((a: string) => a.startsWith('--phase='))).toEqual(server.args.filter((a: string) => a.startsWith('--phase=')));
  });

  it('a checksum of the waves text on the pod template: the pods roll when the waves change, and only then', () => {
    const checksum = checksumOf(WITH_WAVES);
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(checksumOf({ ...WITH_WAVES })).toBe(checksum);
    expect(checksumOf({ ...WITH_WAVES, wavesText: WAVES.replace('soakTime: 30m', 'soakTime: 1h') })).not.toBe(checksum);
    // The scrape annotations stay.
    expect(deploymentOf(WITH_WAVES).spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true' });
  });

  it('with a garden kubeconfig Secret the register container gets it for the health gate, mounted from the one volume', () => {
    const options = { ...WITH_WAVES, gardenKubeconfigSecret: 'garden-kubeconfig' };
    const register = container(options, 'register');
    expect(register.args).toContain('--garden-kubeconfig=/etc/http-proxy-migrator/garden/kubeconfig');
    expect(register.volumeMounts).toContainEqual({ name: 'garden-kubeconfig', mountPath: '/etc/http-proxy-migrator/garden', readOnly: true });
    const volumes = deploymentOf(options).spec.template.spec.volumes.filter((v: Json) => v.name === 'garden-kubeconfig');
    expect(volumes).toEqual([{ name: 'garden-kubeconfig', secret: { secretName: 'garden-kubeconfig', defaultMode: 0o440 } }]);
    for (const object of serverObjects(options)) expect(() => validateObject(object), `${object.kind}`).not.toThrow();
  });

  it('without waves the register container gets no garden kubeconfig: register refuses it without --waves', () => {
    const register = container({ namespace: DEFAULT_NAMESPACE, image: DEFAULT_IMAGE, gardenKubeconfigSecret: 'garden-kubeconfig' }, 'register');
    expect(register.args.some((a: string) => a.startsWith('--garden-kubeconfig') || a.startsWith('--waves'))).toBe(false);
    expect(register.volumeMounts.map((m: Json) => m.name)).toEqual(['certs']);
  });
});

describe('manifests --waves', () => {
  it('writes the ConfigMap and the register arguments; without --waves the output is manifests/ byte for byte', async () => {
    const out = join(scratch, 'waves');
    const result = await runCli(['manifests', '--out', out, '--waves', EXAMPLE, '--garden-kubeconfig-secret', 'garden-kubeconfig']);
    expect(result.code).toBe(0);
    const server = yaml.loadAll(readFileSync(join(out, 'server.yaml'), 'utf8')) as Json[];
    expect(server.find((o) => o.kind === 'ConfigMap')!.data['waves.yaml']).toBe(WAVES);
    const register = server.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[1];
    expect(register.args).toEqual(expect.arrayContaining(['--waves=/etc/http-proxy-migrator/rollout/waves.yaml', '--garden-kubeconfig=/etc/http-proxy-migrator/garden/kubeconfig']));

    const plain = join(scratch, 'plain');
    expect((await runCli(['manifests', '--out', plain])).code).toBe(0);
    for (const name of readdirSync(plain)) expect(readFileSync(join(plain, name), 'utf8'), name).toBe(readFileSync(join(ROOT, 'manifests', name), 'utf8'));
  });

  const bad = (name: string, text: string): string => {
    const file = join(scratch, name);
    writeFileSync(file, text);
    return file;
  };
  const cases: [string, () => string[], RegExp][] = [
    ['a bad field, named', () => ['--waves', bad('percent.yaml', WAVES.replace('percent: 10', 'percent: 150'))], /percent\.yaml: waves\[3\]\.selector\.percent: must be a number above 0 and at most 100/],
    ['an unknown field, named', () => ['--waves', bad('typo.yaml', WAVES.replace('purposes:', 'purpose:'))], /typo\.yaml: waves\[2\]\.selector\.purpose/],
    ['two documents', () => ['--waves', bad('two.yaml', `${WAVES}---\n${WAVES}`)], /two\.yaml must hold exactly one RolloutWaves document, found 2/],
    ['not YAML', () => ['--waves', bad('broken.yaml', 'waves: [\n')], /broken\.yaml is not valid YAML or JSON/],
    ['a missing file', () => ['--waves', join(scratch, 'absent.yaml')], /cannot read .*absent\.yaml: ENOENT/],
    // Valid waves, but more than a ConfigMap holds: the apply would fail, so it is refused here.
    ['a file larger than a ConfigMap', () => ['--waves', bad('huge.yaml', `${WAVES}${`# ${'x'.repeat(1000)}\n`.repeat(1100)}`)], /--waves: .*huge\.yaml is larger than a ConfigMap holds \(1 MiB\)/],
    ['no register controller', () => ['--waves', EXAMPLE, '--register-shoots', 'off'], /--waves needs the register controller/],
  ];
  it.each(cases)('bad input: %s exits 2 and writes nothing', async (name, args, message) => {
    const out = join(scratch, `refused-${name.replace(/\W+/g, '-')}`);
    const result = await runCli(['manifests', '--out', out, ...args()]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^error: /);
    expect(result.stderr.split('\n')[0]).toMatch(message);
    expect(() => readdirSync(out)).toThrow(/ENOENT/);
  });
});
