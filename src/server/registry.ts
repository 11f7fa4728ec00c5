/**
 * What the servers that share one Redis (`guess serve --redis`) know of each other: which server
 * holds each room code (codes are unique across them) and each player's token, and a bus that
 * carries messages from one server to another. Owned by the server layer, like the store: the hub
 * asks it for a code synchronously, so a registry keeps a few codes reserved ahead and fills them
 * up in the background; when it cannot reach its registry, it has none to give and the hub
 * refuses new rooms.
 */
export interface RoomRegistry {
  /**
   * Joins the cluster as `server` (an id kept in the store, so a restart on the same file is the
   * same server) holding the codes of the rooms it already has (restored from its store).
   */
  start(server: string, codes: readonly string[]): void;
  /**
   * Settles once the registry has first answered, or failed to (then it goes on trying, and new
   * rooms are refused until it answers); never rejects.
   */
  ready(): Promise<void>;
  /** A code no other server of the cluster holds, now this server's; undefined while the registry is unreachable. */
  takeCode(): string | undefined;
  /** A room closed: its code is free again for the whole cluster. */
  releaseCode(code: string): void;
  /** The server that holds room `code` (see Owner). Rejects when the registry does not answer. */
  roomOwner(code: string): Promise<Owner>;
  /** Whether server `server` listens on the bus (a server killed a moment ago still has a lease, but no ears). */
  listening(server: string): Promise<boolean>;
  /** Rooms taken over from another server: their codes are this server's now. */
  adoptCodes(codes: readonly string[]): void;
  /** The player whose token hashes to `hash` is served here from now on (`resume` on any server finds it here). */
  claimToken(hash: string): void;
  /** That player is gone from here (forgotten, or handed over to another server). */
  releaseToken(hash: string): void;
  /** The server that serves the player whose token hashes to `hash` (see Owner). Rejects when the registry does not answer. */
  tokenOwner(hash: string): Promise<Owner>;
  /** Whether server `server`'s lease lives; undefined while the registry does not answer. */
  alive(server: string): Promise<boolean | undefined>;
  /**
   * Sends `message` to server `to`, after every message this server sent it before. Rejects when
   * the registry does not answer (the message is lost).
   */
  send(to: string, message: string): Promise<void>;
  /** Where the messages other servers send this one go (set before `start`). */
  onMessage: ((message: string) => void) | undefined;
  /** Whether the registry answered lately (for `/healthz`). */
  readonly reachable: boolean;
  /** How long a server's lease lives unrenewed: a server that stops is taken over this long after. */
  readonly leaseMs: number;
  /** Since when (Date.now()) the registry answers without a break (0: since before this server started); undefined while it does not. */
  readonly upSince: number | undefined;
  /**
   * Leaves: the reserved codes no room uses are given back, and the lease ends, so that another
   * server takes this one's rooms over at once; their codes stay held until it does.
   */
  close(): Promise<void>;
}

/**
 * Who has a room or a player: a live server (the one named, or the one that took its rooms over
 * when its lease lapsed), or (`alive: false`) a dead server whose rooms no one has taken yet, which
 * this server may take over; undefined for nobody.
 */
export type Owner = { readonly server: string; readonly alive: boolean } | undefined;

/** A Redis URL as printed and logged: without the password it may carry. */
export function redisLocation(url: string): string {
  const { protocol, host } = new URL(url);
  return `${protocol}//${host}`;
}
