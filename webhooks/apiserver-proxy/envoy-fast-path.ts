// The hot path: Gardener's own envoy.yaml edited as text, without parsing YAML. The document is matched
// against Gardener's template literal by literal; each slot is read by a pattern that admits only what
// Gardener renders there, so an accepted document can only mean what the template means. Anything else
// returns undefined and goes to the structural edit.
import { isIP } from 'node:net';
import type { QuotedString } from '../../src/admission/patch-json.js';
import type { Destination, DestinationHeader } from './destination.js';
import { classifyEnvoy, type EnvoyState } from './envoy-state.js';
import { GARDENER_ENVOY_LAYOUT, UPSTREAM_PROXY_PROTOCOL_BLOCK, type LayoutSlot } from './gardener-envoy-template.js';

/** The slot values of a document that is Gardener's layout. */
export interface GardenerLayoutValues {
  advertiseIPAddress: string;
  /** The cluster endpoint: the shoot's API server FQDN (with its trailing dot). */
  proxySeedServerHost: string;
  proxySeedServerPort: string;
  dnsLookupFamily: string;
  tunnelingConfig: string;
  upstreamProxyProtocol: string;
}

const HOSTNAME_COMMENT = '# hostname is irrelevant as it will be dropped by envoy, we still need it for the configuration though';
/** Gardener v1.130-v1.143 rendered this above its two headers; kept so that rendering stays byte-identical. */
const BOTH_HEADERS_COMMENT = '# TODO(hown3d): Drop with RemoveHTTPProxyLegacyPort feature gate';
const BOTH_HEADERS = ['Reversed-VPN', 'X-Gardener-Destination'];

/**
 * The tunneling_config block as Gardener renders it. Values are quoted as in the template; a key is
 * quoted only when it would not read back as the same plain string.
 */
export function renderTunnelingConfig(hostname: string, headers: readonly DestinationHeader[]): string {
  const lines = [
    '          tunneling_config:',
    `            ${HOSTNAME_COMMENT}`,
    `            hostname: ${JSON.stringify(hostname)}`,
    '            headers_to_add:',
  ];
  if (headers.length === BOTH_HEADERS.length && headers.every((h, i) => h.key === BOTH_HEADERS[i])) {
    lines.push(`            ${BOTH_HEADERS_COMMENT}`);
  }
  for (const { key, value } of headers) {
    lines.push('            - header:', `                key: ${yamlKey(key)}`, `                value: ${JSON.stringify(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Plain YAML only for names that cannot read as anything but themselves (no booleans, nulls, numbers, tags). */
const PLAIN_HEADER_KEY = /^[A-Za-z][A-Za-z0-9-]*$/;
const YAML_KEYWORD = /^(?:y|yes|n|no|true|false|on|off|null)$/i;

function yamlKey(key: string): string {
  return PLAIN_HEADER_KEY.test(key) && !YAML_KEYWORD.test(key) ? key : JSON.stringify(key);
}

// Every header line the renderer can write, and nothing else: plain keys as yamlKey allows them, quoted
// HTTP tokens, quoted values without escapes.
const HEADER_ENTRY = String.raw`            - header:\n                key: (?:[A-Za-z][A-Za-z0-9-]*|"[!#$%&'*+.^_\x60|~0-9A-Za-z-]+")\n                value: "[^"\\\n]*"\n`;
const TUNNELING_CONFIG = new RegExp(
  String.raw`          tunneling_config:\n            ${regexLiteral(HOSTNAME_COMMENT)}\n            hostname: "([^"\\\n]*)"\n            headers_to_add:\n(?:            ${regexLiteral(BOTH_HEADERS_COMMENT)}\n)?(?:${HEADER_ENTRY})+`,
  'y',
);

function regexLiteral(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A slot's value at `at` and where it ends; `hostname` only for the tunneling block. */
type SlotReader = (text: string, at: number) => { value: string; end: number; hostname?: string } | undefined;

/** The rest of the line, if `accepts` it. */
function lineValue(accepts: (value: string) => boolean): SlotReader {
  return (text, at) => {
    const end = text.indexOf('\n', at);
    if (end < 0) return undefined;
    const value = text.slice(at, end);
    return accepts(value) ? { value, end } : undefined;
  };
}

/** DNS names starting with a letter: never a YAML number, boolean or null, so the plain scalar is this string. */
const HOST_NAME = /^[a-z][a-z0-9-]*(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+\.?$/;
/** Envoy's DnsLookupFamily values. */
const DNS_LOOKUP_FAMILY = /^(?:AUTO|V4_ONLY|V6_ONLY|V4_PREFERRED|ALL)$/;

const SLOT_READERS: Readonly<Record<LayoutSlot, SlotReader>> = {
  advertiseIPAddress: lineValue((value) => isIP(value) !== 0),
  dnsLookupFamily: lineValue((value) => DNS_LOOKUP_FAMILY.test(value)),
  proxySeedServerHost: lineValue((value) => HOST_NAME.test(value)),
  proxySeedServerPort: lineValue((value) => /^[1-9][0-9]{0,4}$/.test(value)),
  tunnelingConfig: (text, at) => {
    TUNNELING_CONFIG.lastIndex = at;
    const match = TUNNELING_CONFIG.exec(text);
    if (!match) return { value: '', end: at };
    return { value: match[0], end: at + match[0].length, hostname: match[1] };
  },
  upstreamProxyProtocol: (text, at) =>
    literalAt(text, UPSTREAM_PROXY_PROTOCOL_BLOCK, at)
      ? { value: UPSTREAM_PROXY_PROTOCOL_BLOCK, end: at + UPSTREAM_PROXY_PROTOCOL_BLOCK.length }
      : { value: '', end: at },
};

/** `startsWith(literal, at)`, but as one memory comparison: V8's startsWith compares character by character. */
function literalAt(text: string, literal: string, at: number): boolean {
  return text.slice(at, at + literal.length) === literal;
}

/** The slot values when `text` is exactly Gardener's layout, else undefined. */
export function readGardenerLayout(text: string): GardenerLayoutValues | undefined {
  const { literals, slots } = GARDENER_ENVOY_LAYOUT;
  // Every member from the start: one object shape for every document.
  const values: GardenerLayoutValues = {
    advertiseIPAddress: '',
    proxySeedServerHost: '',
    proxySeedServerPort: '',
    dnsLookupFamily: '',
    tunnelingConfig: '',
    upstreamProxyProtocol: '',
  };
  let tunnelHostname: string | undefined;
  let at = 0;
  for (let i = 0; i < slots.length; i++) {
    if (!literalAt(text, literals[i]!, at)) return undefined;
    at += literals[i]!.length;
    const slot = slots[i]!;
    const read = SLOT_READERS[slot](text, at);
    if (!read) return undefined;
    values[slot] = read.value;
    tunnelHostname ??= read.hostname;
    at = read.end;
  }
  const last = literals[slots.length]!;
  if (!literalAt(text, last, at) || at + last.length !== text.length) return undefined;
  // Gardener writes the endpoint as the tunnel's hostname; a document where they differ is not its rendering.
  if (tunnelHostname !== undefined && !isEndpointOnPort443(tunnelHostname, values.proxySeedServerHost)) return undefined;
  return values;
}

/** `hostname === host + ':443'`, without building the concatenation. */
function isEndpointOnPort443(hostname: string, host: string): boolean {
  return hostname.length === host.length + 4 && hostname.endsWith(':443') && hostname.startsWith(host);
}

/** Each literal's JSON text without the quotes, escaped once rather than with every answer. */
const LITERALS_JSON = GARDENER_ENVOY_LAYOUT.literals.map(unquotedJson);

function unquotedJson(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** The document and its JSON text, built side by side: only the short slot values are escaped here. */
function renderGardenerLayout(values: GardenerLayoutValues): QuotedString {
  const { literals, slots } = GARDENER_ENVOY_LAYOUT;
  let text = '';
  let json = '"';
  for (let i = 0; i < slots.length; i++) {
    const value = values[slots[i]!];
    text += literals[i]! + value;
    json += LITERALS_JSON[i]! + unquotedJson(value);
  }
  return { text: text + literals[slots.length]!, json: `${json}${LITERALS_JSON[slots.length]!}"` };
}

export interface GardenerLayoutEdit {
  /** The moved document. */
  text: string;
  /** Its JSON text, `JSON.stringify(text)`, for the answer's patch. */
  json: string;
  /** The cluster endpoint the document names. */
  host: string;
}

/** Each header entry of a tunneling block the template pattern accepted: a plain or quoted key, a quoted value. */
const HEADER_KEY_VALUE = /key: (?:"([^"\n]+)"|([^"\n]+))\n {16}value: "([^"\n]*)"/g;

/** The rendering of a document that is Gardener's layout, read from its slots alone. */
export function gardenerLayoutState(values: GardenerLayoutValues): EnvoyState {
  const tunnels = values.tunnelingConfig !== '';
  return classifyEnvoy({
    tunnels,
    // The slot's pattern admits a tunnel only with at least one header, each with a key and a value.
    sendsDestination: tunnels,
    port: Number(values.proxySeedServerPort),
    proxyProtocol: values.upstreamProxyProtocol !== '',
  });
}

/** The headers a document of Gardener's layout tunnels with, in order. */
export function gardenerLayoutHeaders(values: GardenerLayoutValues): DestinationHeader[] {
  const headers: DestinationHeader[] = [];
  for (const match of values.tunnelingConfig.matchAll(HEADER_KEY_VALUE)) headers.push({ key: match[1] ?? match[2]!, value: match[3]! });
  return headers;
}

/** The document of these slot values moved to `destination`: Gardener's rendering of it, with its JSON text. */
export function moveGardenerLayout(values: GardenerLayoutValues, destination: Destination): GardenerLayoutEdit {
  const host = values.proxySeedServerHost;
  const rendered = renderGardenerLayout({
    ...values,
    tunnelingConfig: renderTunnelingConfig(`${host}:443`, destination.headers),
    proxySeedServerPort: String(destination.port),
    upstreamProxyProtocol: '',
  });
  return { host, ...rendered };
}

/**
 * The document set to `destination` by a splice, or undefined when it is not Gardener's layout. Already at
 * the destination, the same text comes back.
 */
export function editGardenerLayout(text: string, destination: Destination): GardenerLayoutEdit | undefined {
  const values = readGardenerLayout(text);
  return values && moveGardenerLayout(values, destination);
}
