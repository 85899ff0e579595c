/** The value of --seed-kubeconfig that means "the cluster this pod runs in". */
export const IN_CLUSTER = 'in-cluster';
