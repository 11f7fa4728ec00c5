/**
 * Why a connection to a server ended, told to the player in one line; `code` says which.
 * `E_SHUTDOWN` is the server's own goodbye, the one ending that is nobody's fault.
 */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  readonly code: 'E_CONNECT' | 'E_SERVER_GONE' | 'E_PROTOCOL' | 'E_SHUTDOWN' | 'E_SEAT_GONE';

  constructor(code: ClientError['code'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Says what went wrong connecting to `host:port`, and what to try. */
export function describeConnectError(error: NodeJS.ErrnoException, host: string, port: number): string {
  const where = hostPort(host, port);
  switch (error.code) {
    case 'ECONNREFUSED':
      return `cannot connect to ${where}: nothing is listening there — is the server running? (start one with: guess serve)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot find the host '${host}' — check the name or use an IP address`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach ${where} — check the address and that you are on the same network`;
    default:
      return `cannot connect to ${where}: ${error.message}`;
  }
}

/** `host:port`, with an IPv6 host in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
