// Where the CLI's gardenlet commands read shoots from, as flags shared by validate and audit.
import type { Command } from 'commander';

export function addShootSourceOptions(command: Command): Command {
  return command
    .option('--shoots <file>', 'shoot snapshot (YAML documents, a List, or JSON)')
    .option('--garden-kubeconfig <file>', 'kubeconfig of the garden cluster, to list shoots (default: in-cluster config when running in a pod)');
}
