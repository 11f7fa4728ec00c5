import { networkInterfaces } from 'node:os';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

/** This machine's IPv4 addresses on its networks (loopback left out): where others reach a server bound to every interface. */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry?.address ?? '');
}

/** `0.0.0.0` or `::`: bound to every interface. */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
