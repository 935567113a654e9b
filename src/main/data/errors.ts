// The one error type of the data pipeline: a message a user can act on, plus an optional hint with the fix.

export class DataError extends Error {
  readonly hint?: string

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'DataError'
    if (options.hint !== undefined) this.hint = options.hint
  }
}
