// Command-line parsing with messages that name the bad argument. Bad usage exits 2, runtime failures 1.
import { parseArgs, type ParseArgsConfig } from 'node:util'

/** Wrong usage: the message names the argument; the CLI prints it with the command's help hint. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** A command that ran but did not succeed (a run that failed): its message is for the user, exit 1. */
export class CommandFailed extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CommandFailed'
  }
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>

export interface CommandLine {
  values: Record<string, string | boolean | undefined>
  positionals: string[]
}

export function parseCommandLine(args: string[], options: OptionSpec, allowPositionals = false): CommandLine {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true })
    return { values: values as CommandLine['values'], positionals }
  } catch (error) {
    // node:util's messages already name the option ("Unknown option '--bach'"); drop its advice about '--'.
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '')
    throw new UsageError(message)
  }
}

/** A whole number option, or undefined when absent. */
export function intOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  const text = String(raw).trim()
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`)
  return Number(text)
}

/** A decimal number option, or undefined when absent. */
export function numberOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  const n = Number(String(raw).trim())
  if (String(raw).trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${raw}"`)
  return n
}

/** One of a fixed set of words. */
export function choiceOption<T extends string>(values: Record<string, unknown>, name: string, choices: readonly T[]): T | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  if (!choices.includes(raw as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${raw}"`)
  return raw as T
}

export function requireOption(values: Record<string, unknown>, name: string, what: string): string {
  const raw = values[name]
  if (raw === undefined || raw === '') throw new UsageError(`--${name} is required: ${what}`)
  return String(raw)
}
