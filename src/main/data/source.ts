// Where a data set comes from: a local image folder or a built-in set, and its text form ('builtin:mnist' or a path).

import path from 'node:path'
import { DataError } from './errors'

export type BuiltinName = 'mnist' | 'fashion-mnist'
export type DatasetSource = { kind: 'folder'; path: string } | { kind: 'builtin'; name: BuiltinName }

export const BUILTIN_NAMES: readonly BuiltinName[] = ['mnist', 'fashion-mnist']
const BUILTIN_PREFIX = 'builtin:'

/** 'builtin:mnist', 'builtin:fashion-mnist', or a folder path (resolved to absolute). */
export function parseDatasetSource(text: string): DatasetSource {
  const trimmed = text.trim()
  if (trimmed === '') throw new DataError('No data set given: pick an image folder or a built-in data set.')
  if (trimmed.toLowerCase().startsWith(BUILTIN_PREFIX)) {
    const name = trimmed.slice(BUILTIN_PREFIX.length).toLowerCase()
    if (isBuiltinName(name)) return { kind: 'builtin', name }
    throw new DataError(`Unknown built-in data set "${trimmed.slice(BUILTIN_PREFIX.length)}".`, {
      hint: `Known built-in data sets: ${BUILTIN_NAMES.map((n) => BUILTIN_PREFIX + n).join(', ')}.`
    })
  }
  return { kind: 'folder', path: path.resolve(trimmed) }
}

export function describeDatasetSource(source: DatasetSource): string {
  return source.kind === 'builtin' ? BUILTIN_PREFIX + source.name : source.path
}

function isBuiltinName(name: string): name is BuiltinName {
  return (BUILTIN_NAMES as readonly string[]).includes(name)
}
