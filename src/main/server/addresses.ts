// Where `gan-studio serve` can be reached. The address it listens on is not always one a browser can
// open: 0.0.0.0 and :: mean "every interface", so the printed addresses name real ones instead.
import { hostname, networkInterfaces } from 'node:os'

/** Whether `host` makes the server listen on every network interface. */
export function isAllInterfaces(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]'
}

function pageUrl(host: string, port: number, token: string): string {
  const bare = host.replace(/^\[|\]$/g, '')
  return `http://${bare.includes(':') ? `[${bare}]` : bare}:${port}/?token=${token}`
}

/** The address to open on this machine: loopback when the server listens on every interface. */
export function localAddress(host: string, port: number, token: string): string {
  if (host === '0.0.0.0') return pageUrl('127.0.0.1', port, token)
  if (isAllInterfaces(host)) return pageUrl('::1', port, token)
  return pageUrl(host, port, token)
}

/**
 * Addresses another machine can try when the server listens on every interface: this machine's name,
 * then its network addresses (IPv6 ones only when listening on ::; link-local ones need a zone, so none).
 */
export function networkAddresses(host: string, port: number, token: string): string[] {
  const ipv6 = host !== '0.0.0.0'
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal && (a.family === 'IPv4' || (ipv6 && !a.address.toLowerCase().startsWith('fe80'))))
    .map((a) => a.address)
  return [...new Set([hostname(), ...addresses])].map((address) => pageUrl(address, port, token))
}
