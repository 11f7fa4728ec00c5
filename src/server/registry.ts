/**
 * Where room codes are unique: across every server that shares one Redis (`guess serve --redis`).
 * Owned by the server layer, like the store: the hub asks it for a code synchronously, so a
 * registry keeps a few codes reserved ahead and fills them up in the background; when it cannot
 * reach its registry, it has none to give and the hub refuses new rooms.
 */
export interface RoomRegistry {
  /**
   * Joins the cluster as `server` (an id kept in the store, so a restart on the same file is the
   * same server) holding the codes of the rooms it already has (restored from its store).
   */
  start(server: string, codes: readonly string[]): void;
  /** A code no other server of the cluster holds, now this server's; undefined while the registry is unreachable. */
  takeCode(): string | undefined;
  /** A room closed: its code is free again for the whole cluster. */
  releaseCode(code: string): void;
  /** Whether the registry answered lately (for `/healthz`). */
  readonly reachable: boolean;
  /** Leaves: the reserved codes no room uses are given back; the rooms' codes stay held, for a restart on the same store. */
  close(): Promise<void>;
}
