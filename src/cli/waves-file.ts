// The rollout's waves file, read and validated the one way `register --waves`, `register --dry-run --plan`
// and `manifests --waves` all use: anything wrong exits 2 naming the field.
import { parseWavesConfig, WavesConfigError, type WavesConfig } from '../rollout/waves-config.js';
import { parseDocuments, readText } from '../util/input.js';
import { UsageError } from './errors.js';

export interface WavesFile {
  /** The file as written, for a ConfigMap that holds exactly what the operator reviewed. */
  text: string;
  config: WavesConfig;
}

export function readWavesFile(file: string): WavesFile {
  const text = readText(file);
  const docs = parseDocuments(text, file);
  if (docs.length !== 1) throw new UsageError(`${file} must hold exactly one RolloutWaves document, found ${docs.length}`);
  try {
    return { text, config: parseWavesConfig(docs[0]) };
  } catch (err) {
    if (err instanceof WavesConfigError) throw new UsageError(`${file}: ${err.message}`);
    throw err;
  }
}

/** The waves file, validated: exit 2 naming the field that is wrong. */
export function readWaves(file: string): WavesConfig {
  return readWavesFile(file).config;
}
