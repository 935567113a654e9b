// The `gan-studio` command: dispatches to the subcommands and turns failures into exit codes:
// 0 done, 1 a runtime failure (with a message, never a bare stack trace), 2 wrong usage.
import { ConfigError } from '../../shared/config'
import { DataError } from '../data'
import { ExportError } from '../export/files'
import { StoreError } from '../store'
import { BackendUnavailableError, releaseBackends } from '../training/backend'
import { GeneratorFileError } from '../training/generator-file'
import { exportGridCommand, exportSamplesCommand } from './export'
import { exportGifCommand, exportMetricsCommand, exportModelCommand, exportStripCommand } from './export-more'
import { deleteCommand, pinCommand, resumeCommand, runsCommand, showCommand } from './runs'
import { serveCommand } from './serve'
import { trainCommand } from './train'
import { CommandFailed, UsageError } from './usage'

type Command = (args: string[], log: (line: string) => void) => Promise<void>

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  train: { run: trainCommand, summary: 'train a GAN on an image folder or a built-in data set' },
  runs: { run: runsCommand, summary: 'list the runs' },
  show: { run: showCommand, summary: "show a run's config, figures and checkpoints" },
  resume: { run: resumeCommand, summary: 'continue a run from its last checkpoint' },
  delete: { run: deleteCommand, summary: 'delete a run and everything it saved' },
  serve: { run: serveCommand, summary: 'serve the app to a browser (with an access token)' },
  'export-grid': { run: exportGridCommand, summary: 'write a PNG grid of generated images' },
  'export-samples': { run: exportSamplesCommand, summary: 'write generated images as single PNG files' },
  'export-strip': { run: exportStripCommand, summary: 'write an interpolation between two vectors as one PNG row' },
  'export-gif': { run: exportGifCommand, summary: 'write a walk through keyframe vectors as an animated GIF' },
  'export-model': { run: exportModelCommand, summary: 'write the generator as a TF.js model (model.json + weights)' },
  'export-metrics': { run: exportMetricsCommand, summary: 'write the metrics as CSV' },
  pin: { run: pinCommand, summary: 'keep a checkpoint for good (or --unpin it)' },
}

export const MAIN_HELP = `Usage: gan-studio <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`)
  .join('\n')}

Run \`gan-studio <command> --help\` for a command's options.`

/**
 * `gan-studio show 1 | head -3`: the reader went away, so nothing more can be shown. Exit quietly, as
 * commands killed by SIGPIPE do, instead of crashing with an unhandled EPIPE. A closed stderr is ignored
 * instead: the exit code still tells how the command went.
 */
function quietOnClosedOutput(): void {
  const onError = (exit: boolean) => (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    if (exit) process.exit(0)
  }
  process.stdout.on('error', onError(true))
  process.stderr.on('error', onError(false))
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedOutput()
  const log = (line: string) => process.stdout.write(`${line}\n`)
  const fail = (line: string) => process.stderr.write(`${line}\n`)
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    log(MAIN_HELP)
    return name === undefined ? 2 : 0
  }
  const command = COMMANDS[name]
  if (!command) {
    fail(`gan-studio: unknown command "${name}"\n\n${MAIN_HELP}`)
    return 2
  }
  try {
    await command.run(args, log)
    return 0
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      fail(`gan-studio ${name}: ${error.message}\nRun \`gan-studio ${name} --help\` for usage.`)
      return 2
    }
    const e = error as Error
    // Errors written for the user need no stack trace; anything else may be a bug.
    const known = [DataError, ExportError, StoreError, BackendUnavailableError, GeneratorFileError, CommandFailed]
    if (known.some((type) => error instanceof type)) {
      fail(`gan-studio ${name}: ${e.message}${error instanceof DataError && error.hint ? `\n${error.hint}` : ''}`)
      return 1
    }
    fail(`gan-studio ${name}: ${e?.message ?? String(error)}`)
    if (process.env.GAN_STUDIO_DEBUG) fail(e?.stack ?? '')
    else fail('(set GAN_STUDIO_DEBUG=1 for the stack trace to put in a bug report)')
    return 1
  } finally {
    // A GPU device (Dawn's) would keep the process from exiting once the command is done.
    releaseBackends()
  }
}
