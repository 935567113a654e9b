// Exports the UI asks for: grids, interpolation strips and GIFs of generated images, the generator as a
// TF.js model, and the metrics as CSV. Each is written atomically to the path the user chose.
import { existsSync, statSync } from 'node:fs'
import type { ExportRequest, ExportResult, GeneratorChoice } from '../../shared/api'
import { comparisonTable, RUN_COLORS, summarizeRun, SWD_NAME, swdNotComparable } from '../../shared/compare'
import { animatedGif, interpolationStripPng } from '../export/animation'
import { comparisonPng } from '../export/comparison'
import { csvField, runMetricsCsv } from '../export/csv'
import { ExportError, writeFileAtomic } from '../export/files'
import { gridPng } from '../export/png'
import { getRun, loadGrid, readMetrics, readScalars, type Db } from '../store'
import { typedPath } from './folders'

export interface ExportContext {
  db: Db
  /** Renders latent vectors with a checkpoint's generator (off the main thread). */
  render(runId: number, iteration: number | null, vectors: number[][], generator?: GeneratorChoice): Promise<{ images: Float32Array; count: number; size: number; channels: 1 | 3 }>
  exportModel(runId: number, iteration: number | null, dir: string, overwrite: boolean, generator?: GeneratorChoice): Promise<string[]>
}

export async function writeExport(request: ExportRequest, context: ExportContext): Promise<ExportResult> {
  const path = typedPath(request.path)
  if (request.kind === 'model') {
    // A folder: writing into an existing one is fine; the exporter refuses to replace model.json or its weights.
    const files = await context.exportModel(request.runId, request.iteration, path, request.overwrite, request.generator)
    return { files, bytes: files.reduce((n, f) => n + statSync(f).size, 0) }
  }
  if (!request.overwrite && existsSync(path)) throw new ExportError(`${path} already exists; choose another name or confirm replacing it`)
  let bytes: Uint8Array | string
  if (request.kind === 'metrics') {
    const { loss } = getRun(context.db, request.runId).config
    bytes = runMetricsCsv(readMetrics(context.db, request.runId), readScalars(context.db, request.runId), loss).csv
  } else if (request.kind === 'comparison-png') {
    const runs = request.runIds.map((runId) => getRun(context.db, runId))
    const columns = runs.map((run, i) => {
      const grid = loadGrid(context.db, run.id, request.iteration)
      if (!grid) throw new ExportError(`run "${run.name}" has no sample grid yet`)
      return { name: run.name, color: RUN_COLORS[i % RUN_COLORS.length], iteration: grid.iteration, png: grid.png }
    })
    const charts = request.charts
      ? runs.map((run, i) => ({ name: run.name, color: RUN_COLORS[i % RUN_COLORS.length], metrics: readMetrics(context.db, run.id), swd: readScalars(context.db, run.id)[SWD_NAME] }))
      : undefined
    bytes = await comparisonPng(columns, { scale: request.scale, charts, swdComparable: swdNotComparable(runs) === null })
  } else if (request.kind === 'comparison-csv') {
    bytes = comparisonCsv(context.db, request.runIds)
  } else {
    const { images, count, size, channels } = await context.render(request.runId, request.iteration, request.vectors, request.generator)
    if (request.kind === 'grid') {
      bytes = await gridPng(images, count, size, channels, { perRow: request.perRow, padding: request.padding, padColor: request.padColor, scale: request.scale })
    } else if (request.kind === 'strip') {
      bytes = await interpolationStripPng(images, count, size, channels, { padding: request.padding, padColor: request.padColor, scale: request.scale })
    } else {
      bytes = await animatedGif(images, count, size, channels, { fps: request.fps, scale: request.scale, loop: request.loop })
    }
  }
  await writeFileAtomic(path, bytes, { overwrite: request.overwrite })
  return { files: [path], bytes: typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength }
}

/** The compare screen's summary, one row per run, and the config keys where the runs differ. */
function comparisonCsv(db: Db, runIds: number[]): string {
  const runs = runIds.map((id) => getRun(db, id))
  const rows = runs.map((run) => summarizeRun(run, readMetrics(db, run.id), readScalars(db, run.id)))
  return comparisonTable(runs, rows).map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n'
}
