// Writing exported files safely: atomically (a temp file renamed into place, so a crash never leaves
// half a PNG), and never over an existing file unless the caller says so.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export class ExportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ExportError'
  }
}

export interface WriteOptions {
  /** Replace an existing file. Without it, an existing file is an ExportError. */
  overwrite?: boolean
}

export async function writeFileAtomic(path: string, data: Uint8Array | string, options: WriteOptions = {}): Promise<void> {
  if (!options.overwrite && existsSync(path)) {
    throw new ExportError(`${path} already exists; choose another name or allow overwriting (--force)`)
  }
  await mkdir(dirname(path), { recursive: true })
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(temp, data)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
