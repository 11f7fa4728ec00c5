/**
 * Where the servers of a cluster keep things in their shared Redis, in one place: the registry
 * (codes, tokens, leases, the bus) and the store (each server's rooms) read each other's keys.
 */
export const PREFIX = 'guess:';
/** Every room code of the cluster, and the server that holds it. */
export const ROOMS = `${PREFIX}rooms`;
/** A server's lease: the key lives while the server does. */
export const LEASE = `${PREFIX}server:`;
/** The server that serves each player, by the hash of its token (what `resume` looks up). */
export const TOKENS = `${PREFIX}tokens`;
/** A server's inbox on the bus: what other servers send it. */
export const INBOX = `${PREFIX}to:`;
/**
 * A server's world: the hash `guess:world:ID` says who owns it now and in which epoch, and the keys
 * under it hold its rooms, journal, events and meta (see RedisStore).
 */
export const WORLD = `${PREFIX}world:`;
/** Every world kept, dead or alive: where a server looks for rooms to take over. */
export const WORLDS = `${PREFIX}worlds`;

// A server renews its lease every second (which is also how it finds Redis answering); one that
// stops (killed, paused, cut off) lapses within five.
export const RENEW_MS = 1_000;
export const LEASE_MS = 5_000;
