/**
 * A throw-away PostgreSQL primary with a synchronous standby for the tests: see
 * postgres-cluster.mjs, plain JavaScript so that node scripts and a person can use it too.
 */
export { clusterUnavailableReason, startCluster, type ClusterNode, type PostgresCluster } from "./postgres-cluster.mjs";
