import { describe, expect, it } from 'vitest'
import type { MetricSeries } from '../../shared/runs'
import { csvField, metricsCsv } from './csv'

function series(rows: number[][]): MetricSeries {
  const column = (k: number) => rows.map((r) => r[k])
  return {
    iteration: column(0),
    epoch: column(1),
    lossD: column(2),
    lossG: column(3),
    dReal: column(4),
    dFakeBefore: column(5),
    dFakeAfter: column(6),
    seconds: column(7),
    wallTime: column(8)
  }
}

const small = series([
  [1, 0, 1.3862, 0.6931, 0.5, 0.49, 0.48, 0.125, 1_700_000_000_000],
  [2, 0, NaN, 2.5e-7, 0.75, 0.25, 0.2, 0.1, 1_700_000_000_125],
  [3, 1, 1.1, Infinity, 1, 0, -0, 0.09, 1_700_000_000_250]
])

describe('metricsCsv', () => {
  it('writes the header and one row per iteration, NaN as NaN', () => {
    expect(metricsCsv(small)).toBe(
      'iteration,epoch,loss_d,loss_g,d_x,d_g_z1,d_g_z2,seconds,wall_time\r\n' +
        '1,0,1.3862,0.6931,0.5,0.49,0.48,0.125,1700000000000\r\n' +
        '2,0,NaN,2.5e-7,0.75,0.25,0.2,0.1,1700000000125\r\n' +
        '3,1,1.1,inf,1,0,0,0.09,1700000000250\r\n'
    )
  })

  it('adds extra columns, empty where a series has no value, rows for every iteration in order', () => {
    const csv = metricsCsv(small, [
      { name: 'fid', iterations: [3, 1], values: [41.5, 80] },
      { name: 'lr, scaled "x"', iterations: [2, 5], values: [0.0002, NaN] }
    ])
    expect(csv.split('\r\n')).toEqual([
      'iteration,epoch,loss_d,loss_g,d_x,d_g_z1,d_g_z2,seconds,wall_time,fid,"lr, scaled ""x"""',
      '1,0,1.3862,0.6931,0.5,0.49,0.48,0.125,1700000000000,80,',
      '2,0,NaN,2.5e-7,0.75,0.25,0.2,0.1,1700000000125,,0.0002',
      '3,1,1.1,inf,1,0,0,0.09,1700000000250,41.5,',
      '5,,,,,,,,,,NaN',
      ''
    ])
  })

  it('writes only the header for an empty series', () => {
    expect(metricsCsv(series([]))).toBe('iteration,epoch,loss_d,loss_g,d_x,d_g_z1,d_g_z2,seconds,wall_time\r\n')
  })

  it('rejects columns of different lengths and repeated names with a clear message', () => {
    const broken = { ...small, lossG: [1, 2] }
    expect(() => metricsCsv(broken)).toThrow(/lossG has 2 values where iteration has 3/)
    expect(() => metricsCsv(small, [{ name: 'fid', iterations: [1, 2], values: [1] }])).toThrow(/"fid" has 2 iterations and 1 values/)
    expect(() => metricsCsv(small, [{ name: 'loss_d', iterations: [], values: [] }])).toThrow(/repeats a column name/)
  })
})

describe('csvField', () => {
  it('quotes only fields that need it, doubling quotes inside', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField(' padded')).toBe('" padded"')
  })
})
