// Following a training session from the terminal: a live progress line, ingest progress, grids mirrored
// to an --out folder, and Ctrl-C / SIGTERM turned into "checkpoint, leave the run paused, exit 0".
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { figureSummary } from '../../shared/figures'
import { FEW_IMAGES_PER_CLASS, type DatasetClasses } from '../../shared/dataset'
import type { MetricRow, RunSummary } from '../../shared/runs'
import type { LossName } from '../../shared/training-options'
import { loadGrid } from '../store'
import type { RunManagerEvent, RunManager } from '../runs/manager'
import { formatDuration, formatRate, progressBar, StatusLine } from './format'
import { HealthLog } from './health'

const SKIPPED_SHOWN = 10
const CLASSES_SHOWN = 20

/** The classes with few images, in a sentence, or null. */
export function fewImageClasses(classes: DatasetClasses): string | null {
  const few = classes.names.flatMap((name, k) => (classes.counts[k] > 0 && classes.counts[k] < FEW_IMAGES_PER_CLASS ? [`${name} (${classes.counts[k]})`] : []))
  if (few.length === 0) return null
  return `${few.length === 1 ? 'class' : 'classes'} ${few.join(', ')} ${few.length === 1 ? 'has' : 'have'} fewer than ${FEW_IMAGES_PER_CLASS} images: the generator sees little of ${few.length === 1 ? 'it' : 'them'}.`
}

/** '10: T-shirt/top 6,000, Trouser 6,000, ...' (the first few of many). */
export function describeClasses(classes: DatasetClasses): string {
  const listed = classes.names.slice(0, CLASSES_SHOWN).map((name, k) => `${name} (${classes.counts[k].toLocaleString('en')})`)
  const more = classes.names.length > CLASSES_SHOWN ? `, ... and ${classes.names.length - CLASSES_SHOWN} more` : ''
  return `${classes.names.length}: ${listed.join(', ')}${more}`
}

export interface FollowOptions {
  /** Mirror every new sample grid here as grids/iter-NNNNNN.png and latest.png. */
  outDir?: string
  log: (line: string) => void
}

function describeIteration(r: MetricRow, loss: LossName, total: number, rate: number): string {
  const eta = rate > 0 ? (total - r.iteration) / rate : null
  return `iter ${r.iteration}/${total}  epoch ${r.epoch}  ${figureSummary(loss, r)}  ${formatRate(rate, 'it')}  ETA ${formatDuration(eta)}`
}

/** Trains until the session ends and returns the run as it was left. */
export async function followRun(manager: RunManager, run: RunSummary, options: FollowOptions): Promise<RunSummary> {
  const { log, outDir } = options
  const status = new StatusLine()
  let total = run.totalIterations ?? 0
  let rate = 0
  let writes = Promise.resolve()
  const health = new HealthLog(run.health)
  if (outDir) await mkdir(join(outDir, 'grids'), { recursive: true })

  const onEvent = ({ runId, event }: RunManagerEvent) => {
    if (runId !== run.id) return
    switch (event.type) {
      case 'ingest': {
        const p = event.progress
        if (p.phase === 'scanning') status.update(`Scanning the folder: ${p.total} files`)
        else if (p.phase === 'loading-cache') status.update(`Loading cached images ${p.done}/${p.total}`)
        else status.update(`Preparing images ${progressBar(p.done, p.total)} ${p.done}/${p.total}  ${formatRate(p.imagesPerSecond, 'img')}  ETA ${formatDuration(p.etaSeconds)}`)
        break
      }
      case 'dataset':
        status.done()
        log(`Data: ${event.source}: ${event.count} images, ${event.size}x${event.size}, ${event.channels === 1 ? 'grayscale' : 'RGB'}${event.fromCache ? ' (from cache)' : ''}`)
        if (event.classes && run.config.conditional) {
          log(`Classes: ${describeClasses(event.classes)}`)
          const few = fewImageClasses(event.classes)
          if (few) log(`Note: ${few}`)
        }
        if (event.skipped.length > 0) {
          log(`Skipped ${event.skipped.length} file${event.skipped.length === 1 ? '' : 's'}:`)
          for (const s of event.skipped.slice(0, SKIPPED_SHOWN)) log(`  ${s.path}: ${s.reason} (${s.detail})`)
          if (event.skipped.length > SKIPPED_SHOWN) log(`  ... and ${event.skipped.length - SKIPPED_SHOWN} more`)
        }
        break
      case 'started':
        status.done()
        total = event.totalIterations
        log(`Backend: ${event.backendDetail}`)
        log(`Model: ${event.model}`)
        for (const line of event.backendNotes) log(line)
        log(event.resumedFrom === null ? `Training ${total} iterations` : `Resuming from the checkpoint at iteration ${event.resumedFrom} of ${total}`)
        break
      case 'metrics':
        for (const r of event.rows) rate = rate === 0 ? 1 / r.seconds : 0.95 * rate + 0.05 / r.seconds
        status.update(describeIteration(event.rows[event.rows.length - 1], run.config.loss, total, rate))
        break
      case 'grid':
        if (outDir) {
          const grid = loadGrid(manager.db, run.id, event.iteration)
          if (grid) {
            const name = `iter-${String(grid.iteration).padStart(6, '0')}.png`
            writes = writes.then(async () => {
              await writeFile(join(outDir, 'grids', name), grid.png)
              await writeFile(join(outDir, 'latest.png'), grid.png)
            })
          }
        }
        break
      case 'health':
        for (const line of health.update(run, event.alerts)) {
          status.done()
          log(line)
        }
        break
      case 'status':
        // A failure or a divergence is told once, by the command's closing report (and its exit code).
        if (event.status === 'paused' || event.status === 'stopped' || event.status === 'failed' || event.status === 'finished') {
          status.done()
          if (!event.error) log(`Run ${event.status} at iteration ${event.iteration}`)
        }
        break
    }
  }

  let interrupted = 0
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted += 1
    if (interrupted > 1) {
      log(`\n${signal} again: exiting without a final checkpoint (the last saved one remains).`)
      process.exit(130)
    }
    status.done()
    log(`${signal}: saving a checkpoint; the run stays paused (\`gan-studio resume ${run.name}\` continues it).`)
    manager.suspendRun(run.id)
  }
  manager.on('event', onEvent)
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    manager.startRun(run.id)
    await manager.whenIdle(run.id)
    await writes
  } finally {
    status.done()
    manager.off('event', onEvent)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  return manager.getRun(run.id)
}
