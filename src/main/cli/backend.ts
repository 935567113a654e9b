// The TF.js backend from the command line: a --backend that cannot start fails before anything is created.
import type { BackendChoice } from '../../shared/config'
import { BackendUnavailableError, initBackend } from '../training/backend'

/** Starts the backend --backend names (default auto); one that cannot start fails naming the option. */
export async function startBackend(choice: BackendChoice): Promise<void> {
  try {
    await initBackend(choice)
  } catch (error) {
    if (choice === 'auto' || !(error instanceof BackendUnavailableError)) throw error
    throw new BackendUnavailableError(`--backend ${choice}: ${error.message}`, error.detail, error.stage)
  }
}
