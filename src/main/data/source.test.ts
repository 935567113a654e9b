// Data set sources in text form, as typed on the command line or stored with a run.

import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DataError, describeDatasetSource, parseDatasetSource } from './index'

describe('parseDatasetSource', () => {
  it('reads built-ins and resolves folders to absolute paths', () => {
    expect(parseDatasetSource('builtin:mnist')).toEqual({ kind: 'builtin', name: 'mnist' })
    expect(parseDatasetSource('builtin:Fashion-MNIST')).toEqual({ kind: 'builtin', name: 'fashion-mnist' })
    expect(parseDatasetSource('photos/cats')).toEqual({ kind: 'folder', path: path.resolve('photos/cats') })
    expect(parseDatasetSource('/data/faces')).toEqual({ kind: 'folder', path: '/data/faces' })
  })

  it('lists the known built-ins for an unknown one', () => {
    const error = (() => {
      try {
        parseDatasetSource('builtin:cifar10')
      } catch (e) {
        return e as DataError
      }
    })()
    expect(error).toBeInstanceOf(DataError)
    expect(error?.message).toContain('cifar10')
    expect(error?.hint).toBe('Known built-in data sets: builtin:mnist, builtin:fashion-mnist.')
    expect(() => parseDatasetSource('  ')).toThrow(DataError)
  })

  it('round-trips through describeDatasetSource', () => {
    for (const text of ['builtin:mnist', 'builtin:fashion-mnist', '/data/faces']) {
      expect(describeDatasetSource(parseDatasetSource(text))).toBe(text)
    }
  })
})
