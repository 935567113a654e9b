// Why a backend could not be used. No Node imports: the browser's compute worker throws these too.

/** Why a backend could not be used: what a user reads, plus how to fix it. */
export class BackendUnavailableError extends Error {
  constructor(
    message: string,
    /** The underlying error's message, for a bug report. */
    readonly detail: string,
    /**
     * Where it failed: a native package that is not installed (the usual case), fails to load, or to start;
     * no GPU adapter at all; only a software adapter, which auto passes over.
     */
    readonly stage: 'missing' | 'load' | 'start' | 'no-adapter' | 'software' | 'other' = 'other'
  ) {
    super(message)
    this.name = 'BackendUnavailableError'
  }
}
