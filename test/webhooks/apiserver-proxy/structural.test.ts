// The structural edit: the same configuration written otherwise, and shapes beyond Gardener's template.
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { readGardenerLayout } from '../../../webhooks/apiserver-proxy/envoy-fast-path.js';
import { editEnvoyStructurally } from '../../../webhooks/apiserver-proxy/envoy-structural.js';
import { mutateApiserverProxyConfigMap } from '../../../webhooks/apiserver-proxy/mutate.js';
import { LEGACY, TARGETS, TECHNICAL_ID, envoyYaml, legacyDestination, loadFixture, settings } from './fixtures.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const meaning = (text: string): Doc => yaml.load(text, { schema: yaml.CORE_SCHEMA }) as Doc;
const legacyDoc = (): Doc => meaning(envoyYaml(loadFixture(LEGACY)));
const destination = legacyDestination(settings());

function edit(document: Doc | string): string {
  const result = editEnvoyStructurally(typeof document === 'string' ? document : yaml.dump(document), destination);
  if ('unrecognised' in result) throw new Error(result.unrecognised);
  return result.text;
}

function kubeApiserverCluster(document: Doc): Doc {
  return (document.static_resources.clusters as Doc[]).find((c) => c.name === 'kube_apiserver')!;
}

describe('structural edit of envoy.yaml', () => {
  it.each(TARGETS)('means what Gardener renders for $name, from the legacy config written without comments', ({ settings, expected }) => {
    const legacy = loadFixture(LEGACY);
    const rewritten = yaml.dump(meaning(envoyYaml(legacy)), { indent: 4, sortKeys: true });
    expect(readGardenerLayout(rewritten)).toBeUndefined();
    const result = mutateApiserverProxyConfigMap({ ...legacy, data: { 'envoy.yaml': rewritten } }, settings, TECHNICAL_ID);
    expect(meaning(envoyYaml(result.object))).toEqual(meaning(envoyYaml(loadFixture(expected))));
  });

  it('reads JSON, which is YAML too', () => {
    expect(meaning(edit(JSON.stringify(legacyDoc())))).toEqual(meaning(envoyYaml(loadFixture(TARGETS[0]!.expected))));
  });

  it('returns a document that already means the target byte for byte, however it is written', () => {
    const target = JSON.stringify(meaning(envoyYaml(loadFixture(TARGETS[0]!.expected))), null, 1);
    expect(edit(target)).toBe(target);
  });

  it('puts a new tunneling_config right after cluster, as Gardener does', () => {
    const tcpProxy = meaning(edit(legacyDoc())).static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
    expect(Object.keys(tcpProxy)).toEqual(['@type', 'stat_prefix', 'cluster', 'tunneling_config', 'access_log']);
  });

  it('keeps other tunneling options and other transport sockets', () => {
    const document = legacyDoc();
    const tcpProxy = document.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
    tcpProxy.tunneling_config = { hostname: 'old:443', use_post: true };
    const tls = {
      name: 'envoy.transport_sockets.tls',
      typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext' },
    };
    kubeApiserverCluster(document).transport_socket = tls;
    const result = meaning(edit(document));
    expect(result.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.tunneling_config).toEqual({
      hostname: 'api.bar.foo.internal.local.gardener.cloud.:443',
      use_post: true,
      headers_to_add: destination.headers.map((header) => ({ header })),
    });
    expect(kubeApiserverCluster(result).transport_socket).toEqual(tls);
  });

  it.each<[string, (document: Doc) => void, RegExp]>([
    [
      'two kube_apiserver listeners',
      (d) => d.static_resources.listeners.push(d.static_resources.listeners[0]),
      /exactly one kube_apiserver listener/,
    ],
    ['no tcp_proxy filter', (d) => (d.static_resources.listeners[0].filter_chains = []), /tcp_proxy/],
    ['two kube_apiserver clusters', (d) => d.static_resources.clusters.push(kubeApiserverCluster(d)), /exactly one kube_apiserver cluster/],
    [
      'two endpoints',
      (d) =>
        kubeApiserverCluster(d).load_assignment.endpoints[0].lb_endpoints.push(
          kubeApiserverCluster(d).load_assignment.endpoints[0].lb_endpoints[0],
        ),
      /exactly one endpoint/,
    ],
    [
      'a pipe endpoint',
      (d) => (kubeApiserverCluster(d).load_assignment.endpoints[0].lb_endpoints[0].endpoint.address = { pipe: { path: '/x' } }),
      /exactly one endpoint/,
    ],
  ])('leaves %s alone, saying why without quoting the document', (_case, change, why) => {
    const document = legacyDoc();
    change(document);
    const result = editEnvoyStructurally(yaml.dump(document, { noRefs: true }), destination);
    expect(result).toEqual({ unrecognised: expect.stringMatching(why) });
  });

  it('names the line of a YAML error, not its text', () => {
    const result = editEnvoyStructurally('admin:\n  token: secret-value\n  bad: [\n', destination);
    expect(result).toEqual({ unrecognised: 'envoy.yaml is not valid YAML (line 4)' });
  });

  it('keeps aliases as aliases instead of multiplying them', () => {
    const layers = ['l0: &l0 [x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      layers.push(
        `l${i}: &l${i} [${Array(8)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const text = `${layers.join('\n')}\n${yaml.dump(legacyDoc())}`;
    const result = edit(text);
    expect(result.length).toBeLessThan(text.length * 2);
    expect(meaning(result).static_resources).toEqual(meaning(envoyYaml(loadFixture(TARGETS[0]!.expected))).static_resources);
  });
});
