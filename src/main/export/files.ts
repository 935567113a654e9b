// Writing exported files safely: atomically (a temp file renamed into place, so a crash never leaves
// half a PNG), and never over an existing file unless the caller says so. A temp file left by a process
// that was killed mid-write is removed by the next write to the same file.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { processExists } from '../processes'

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
  await removeDeadTemps(path)
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(temp, data)
    holdForTests()
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

/** Temp files of this path whose writer is gone (killed half-way): never renamed, so never wanted. */
async function removeDeadTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`
  const names = await readdir(dirname(path)).catch(() => [] as string[])
  for (const name of names) {
    const match = /^(\d+)-[0-9a-f]{8}\.tmp$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : '')
    if (match && !processExists(Number(match[1]))) await rm(join(dirname(path), name), { force: true })
  }
}

/** For tests/cli only (GAN_STUDIO_TEST_EXPORT_HOLD_MS): holds a written temp file before its rename. */
function holdForTests(): void {
  const ms = Number(process.env.GAN_STUDIO_TEST_EXPORT_HOLD_MS ?? 0)
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
