/** A log that keeps nothing, for servers and hubs built in a test's own process. */
export const SILENT_LOG = { info() {}, warn() {}, error() {}, debug() {} };
