// `gan-studio runs`, `show`, `resume` and `delete`: the runs in the database, by id or unique name.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { BACKENDS, ConfigError } from '../../shared/config'
import { classSwdName } from '../../shared/classes'
import { figureSummary } from '../../shared/figures'
import { describeModel } from '../../shared/model-size'
import { backendLabel, type ResumeChange, type RunSummary, type ScalarSeries } from '../../shared/runs'
import { configValueText } from '../../shared/config-fields'
import { listCheckpoints, readScalars, setCheckpointPinned } from '../store'
import { openManager, STORE_HELP, STORE_OPTIONS, storePaths } from './context'
import { describeClasses, followRun } from './follow'
import { formatDuration } from './format'
import { healthReport } from './health'
import { report, writeOutFolder } from './train'
import { choiceOption, intOption, numberOption, parseCommandLine, UsageError } from './usage'

export const RUNS_HELP = `Usage: gan-studio runs [--db <file>]

Lists the runs: id, name, status, iteration, data set, backend and the last losses.
${STORE_HELP}`

export const SHOW_HELP = `Usage: gan-studio show <run> [--db <file>]

Shows a run's config, its latest figures and its checkpoints. <run> is an id or a name.
${STORE_HELP}`

export const RESUME_HELP = `Usage: gan-studio resume <run> [--lr X | --lr-d X --lr-g X] [--label-smoothing X] [--d-steps N] [--backend B] [--out <dir>] [--db <file>]

Continues a paused, stopped, interrupted or failed run from its last checkpoint. Ctrl-C saves a
checkpoint and leaves it paused again.
  --lr <x>               continue with this learning rate for both networks (e.g. after the run diverged;
                         Adam's state is kept, the new rate applies from the checkpoint on)
  --lr-d <x>, --lr-g <x> the same, for the discriminator or the generator only
  --label-smoothing <x>  continue with one-sided label smoothing (real labels 1 - x; e.g. 0.1 when the
                         discriminator wins)
  --d-steps <n>          continue with this many discriminator steps per generator step
  --backend <b>          continue on another backend (${BACKENDS.join(', ')}), e.g. wasm after the GPU stopped
                         working; a checkpoint resumes on any backend (its losses may then differ in the
                         last digits from an uninterrupted run)
  --out <dir>            also mirror new grids into <dir>/grids
${STORE_HELP}`

export const PIN_HELP = `Usage: gan-studio pin <run> --checkpoint N [--unpin] [--db <file>]

Pins a checkpoint so it is kept whatever the keep-the-newest-3 rule says (or unpins it).
${STORE_HELP}`

export const DELETE_HELP = `Usage: gan-studio delete <run> [--db <file>]

Deletes a run with its metrics, grids, checkpoints and saved vectors.
${STORE_HELP}`

const NO_RUNS_YET = 'No runs yet. Start one with `gan-studio train --data builtin:mnist --size 32`.'

function oneRun(positionals: string[], command: string): string {
  if (positionals.length === 0) throw new UsageError(`<run> is missing: give a run's id or name (\`gan-studio runs\` lists them)`)
  if (positionals.length > 1) throw new UsageError(`one run at a time: got ${positionals.map((p) => `"${p}"`).join(', ')} for ${command}`)
  return positionals[0]
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n')
}

const fixed = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(3))

export async function runsCommand(args: string[], log: (line: string) => void): Promise<void> {
  const { values } = parseCommandLine(args, STORE_OPTIONS)
  if (values.help) return log(RUNS_HELP)
  // First use: no database yet at the default place is simply no runs (a wrong --db is still an error).
  if (values.db === undefined && !existsSync(storePaths(values).dbPath)) return log(NO_RUNS_YET)
  const manager = openManager(values)
  try {
    const runs = manager.listRuns()
    if (runs.length === 0) return log(NO_RUNS_YET)
    const header = ['ID', 'NAME', 'STATUS', 'ITERATION', 'DATA', 'BACKEND', 'LOSS_D', 'LOSS_G']
    const rows = runs.map((r) => [
      String(r.id),
      r.name,
      r.status,
      `${r.iteration}/${r.totalIterations ?? '?'}${resumesEarlier(r) ? ` (resumes at ${r.lastCheckpoint ?? 0})` : ''}`,
      r.source,
      backendLabel(r).replace('–', '-'),
      fixed(r.lastMetrics?.lossD),
      fixed(r.lastMetrics?.lossG)
    ])
    log(table([header, ...rows]))
  } finally {
    await manager.close()
  }
}

/** A run killed or diverged past its newest checkpoint redoes the iterations after it when resumed. */
function resumesEarlier(run: RunSummary): boolean {
  return run.status !== 'running' && run.status !== 'finished' && (run.lastCheckpoint ?? 0) < run.iteration
}

function describe(run: RunSummary): string[] {
  const m = run.lastMetrics
  return [
    `Run ${run.id} "${run.name}": ${run.status}${run.error ? ` (${run.error})` : ''}`,
    `Data: ${run.source}${run.channels ? `, ${run.channels === 1 ? 'grayscale' : 'RGB'}` : ''}`,
    ...(run.classes ? [`Classes: ${describeClasses(run.classes)}`] : []),
    `Model: ${run.channels ? describeModel(run.config, run.channels, run.classes?.names.length ?? 0) : `${run.config.arch === 'mlp' ? 'MLP' : 'DCGAN'} ${run.config.imageSize} px${run.config.conditional ? ', conditional' : ''} (parameters counted once its data is read)`}`,
    `Backend: ${run.backendDetail ?? 'not started yet'}`,
    ...run.backendNotes.map((note) => `  ${note}`),
    `Progress: iteration ${run.iteration}/${run.totalIterations ?? '?'}, epoch ${run.epoch}, ${formatDuration(run.trainSeconds)} of training` +
      (resumesEarlier(run) ? `; resuming continues from the checkpoint at iteration ${run.lastCheckpoint ?? 0}` : ''),
    m ? `Latest: ${figureSummary(run.config.loss, m)}  ${m.seconds.toFixed(3)} s/it` : 'Latest: no iterations yet',
    'Config:',
    ...Object.entries(run.config).map(([k, v]) => `  ${k.padEnd(16)} ${configValueText(v)}`)
  ]
}

/** A conditional run's latest SWD of each class scored alone, or null. */
function classSwdLine(run: RunSummary, scalars: Record<string, ScalarSeries>): string | null {
  const names = run.classes?.names ?? []
  const figures = names.flatMap((name, k) => {
    const series = scalars[classSwdName(k)]
    return series?.value.length ? [`${name} ${series.value[series.value.length - 1].toFixed(2)}`] : []
  })
  return figures.length ? `Quality per class (SWD, latest): ${figures.join(', ')}` : null
}

export async function showCommand(args: string[], log: (line: string) => void): Promise<void> {
  const { values, positionals } = parseCommandLine(args, STORE_OPTIONS, true)
  if (values.help) return log(SHOW_HELP)
  const manager = openManager(values)
  try {
    const run = manager.getRun(oneRun(positionals, 'show'))
    for (const line of describe(run)) log(line)
    const scalars = readScalars(manager.db, run.id)
    const swd = scalars.swd
    if (swd?.iteration.length) {
      const last = swd.iteration.length - 1
      log(`Quality: SWD ${swd.value[last].toFixed(2)} at iteration ${swd.iteration[last]} (x1e3, lower is better; ${swd.iteration.length} measured)`)
    }
    const perClass = classSwdLine(run, scalars)
    if (perClass) log(perClass)
    for (const line of healthReport(run)) log(line)
    const checkpoints = listCheckpoints(manager.db, run.id)
    log(`Checkpoints: ${checkpoints.length ? checkpoints.map((c) => `${c.iteration}${c.pinned ? ' (pinned)' : ''}`).join(', ') : 'none'}`)
  } finally {
    await manager.close()
  }
}

export async function resumeCommand(args: string[], log: (line: string) => void): Promise<void> {
  const options = {
    ...STORE_OPTIONS,
    out: { type: 'string' },
    lr: { type: 'string' },
    'lr-d': { type: 'string' },
    'lr-g': { type: 'string' },
    'label-smoothing': { type: 'string' },
    'd-steps': { type: 'string' },
    backend: { type: 'string' }
  } as const
  const { values, positionals } = parseCommandLine(args, options, true)
  if (values.help) return log(RESUME_HELP)
  const rates = learningRateChange(values)
  const backend = choiceOption(values, 'backend', BACKENDS)
  const labelSmoothing = numberOption(values, 'label-smoothing')
  const dStepsPerG = intOption(values, 'd-steps')
  const change: ResumeChange | null = rates || backend || labelSmoothing !== undefined || dStepsPerG !== undefined ? { ...rates, backend, labelSmoothing, dStepsPerG } : null
  const manager = openManager(values)
  try {
    let run = manager.getRun(oneRun(positionals, 'resume'))
    if (change) {
      const before = run.config
      try {
        run = manager.changeSettings(run.id, change)
      } catch (error) {
        // A value the config refuses is wrong usage: name the flag.
        if (error instanceof ConfigError) throw new UsageError(error.problems.map(flagOfProblem).join('; '))
        throw error
      }
      if (rates) log(`Learning rates: D ${before.lrD} -> ${run.config.lrD}, G ${before.lrG} -> ${run.config.lrG}.`)
      if (backend) log(`Backend: ${before.backend} -> ${run.config.backend}.`)
      if (labelSmoothing !== undefined) log(`Label smoothing: ${before.labelSmoothing} -> ${run.config.labelSmoothing}.`)
      if (dStepsPerG !== undefined) log(`D steps per G step: ${before.dStepsPerG} -> ${run.config.dStepsPerG}.`)
    }
    const outDir = values.out ? resolve(String(values.out)) : undefined
    const ended = await followRun(manager, run, { log, outDir })
    // The folder then holds this session's generator and curves, not those of the one before.
    if (outDir) await writeOutFolder(manager, ended, outDir)
    report(ended, log, outDir)
  } finally {
    await manager.close()
  }
}

/** "labelSmoothing: must be in [0, 0.5]" as the flag the user typed. */
function flagOfProblem(problem: string): string {
  const flags: Record<string, string> = { labelSmoothing: '--label-smoothing', dStepsPerG: '--d-steps', lrD: '--lr-d', lrG: '--lr-g' }
  const field = problem.split(':')[0]
  return flags[field] ? `${flags[field]}:${problem.slice(field.length + 1)}` : problem
}

function learningRateChange(values: Record<string, unknown>): Pick<ResumeChange, 'lrD' | 'lrG'> | null {
  const rate = (flag: string): number | undefined => {
    if (values[flag] === undefined) return undefined
    const value = Number(values[flag])
    if (!(value > 0 && value < 1)) throw new UsageError(`--${flag} must be a learning rate between 0 and 1 (e.g. 0.0001), got "${values[flag]}"`)
    return value
  }
  const both = rate('lr')
  const lrD = rate('lr-d')
  const lrG = rate('lr-g')
  if (both !== undefined && (lrD !== undefined || lrG !== undefined)) throw new UsageError('give --lr, or --lr-d and/or --lr-g, not both')
  if (both !== undefined) return { lrD: both, lrG: both }
  return lrD === undefined && lrG === undefined ? null : { lrD, lrG }
}

export async function deleteCommand(args: string[], log: (line: string) => void): Promise<void> {
  const { values, positionals } = parseCommandLine(args, STORE_OPTIONS, true)
  if (values.help) return log(DELETE_HELP)
  const manager = openManager(values)
  try {
    const run = manager.getRun(oneRun(positionals, 'delete'))
    await manager.deleteRun(run.id)
    log(`Deleted run ${run.id} "${run.name}".`)
  } finally {
    await manager.close()
  }
}

export async function pinCommand(args: string[], log: (line: string) => void): Promise<void> {
  const { values, positionals } = parseCommandLine(args, { ...STORE_OPTIONS, checkpoint: { type: 'string' }, unpin: { type: 'boolean' } }, true)
  if (values.help) return log(PIN_HELP)
  const iteration = intOption(values, 'checkpoint')
  if (iteration === undefined) throw new UsageError('--checkpoint is required: the iteration of the checkpoint (`gan-studio show <run>` lists them)')
  const manager = openManager(values)
  try {
    const run = manager.getRun(oneRun(positionals, 'pin'))
    setCheckpointPinned(manager.db, run.id, iteration, !values.unpin)
    log(`${values.unpin ? 'Unpinned' : 'Pinned'} the checkpoint at iteration ${iteration} of "${run.name}".`)
  } finally {
    await manager.close()
  }
}
