// Serving the built renderer (out/renderer) to the browser mode.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json'
}

/** The built renderer: beside the bundle (out/cli -> out/renderer) or in out/ when running from source. */
export function findRendererDir(): string | null {
  const candidates = [join(__dirname, '..', 'renderer'), resolve(__dirname, '..', '..', '..', 'out', 'renderer')]
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null
}

/**
 * The file path a URL path names, decoded; null when it cannot be one (broken %-escapes such as
 * `/%E0%A4%A`, or a NUL byte): the request is malformed, not a missing file.
 */
export function decodeUrlPath(urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  return decoded.includes('\0') ? null : decoded
}

/** A file under `root` for a decoded URL path (see decodeUrlPath), or null (never a file outside root). */
export async function readStatic(root: string, path: string): Promise<{ body: Buffer; type: string } | null> {
  const relative = normalize(path).replace(/^([/\\])+/, '')
  const file = resolve(root, relative === '' ? 'index.html' : relative)
  if (file !== root && !file.startsWith(root + sep)) return null
  try {
    return { body: await readFile(file), type: TYPES[extname(file)] ?? 'application/octet-stream' }
  } catch {
    return null
  }
}
