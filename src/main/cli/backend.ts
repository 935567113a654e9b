// The TF.js backend from the command line: a --backend that cannot start fails before anything is created,
// and an automatic choice that passed over an installed but broken native backend says why.
import type { BackendChoice } from '../../shared/config'
import { AUTO_ORDER, BackendUnavailableError, initBackend } from '../training/backend'
import { NATIVE_PACKAGES, runtimeRequire, type NativeBackendName } from '../training/backend/native'

/** Starts the backend --backend names (default auto); one that cannot start fails naming the option. */
export async function startBackend(choice: BackendChoice): Promise<void> {
  try {
    await initBackend(choice)
  } catch (error) {
    if (choice === 'auto' || !(error instanceof BackendUnavailableError)) throw error
    throw new BackendUnavailableError(`--backend ${choice}: ${error.message}`, error.detail)
  }
}

const isNative = (name: string): name is NativeBackendName => name in NATIVE_PACKAGES

function installed(packageName: string): boolean {
  try {
    runtimeRequire.resolve(packageName)
    return true
  } catch {
    return false
  }
}

/**
 * One line for each native backend ranked above `inUse` that is installed yet was passed over, e.g.
 * "tfjs-node is installed but failed to load: <reason>; using wasm". Backends that are simply not
 * installed are the normal case and get no line. The training thread chose the backend; the reason is
 * found again here by loading the package, which fails the same way (and at once) in this thread.
 */
export function passedOverBackends(inUse: string): string[] {
  const rank = AUTO_ORDER.indexOf(inUse as (typeof AUTO_ORDER)[number])
  if (rank <= 0) return []
  return AUTO_ORDER.slice(0, rank)
    .filter(isNative)
    .filter((name) => installed(NATIVE_PACKAGES[name]))
    .map((name) => {
      const short = NATIVE_PACKAGES[name].replace('@tensorflow/', '')
      try {
        runtimeRequire(NATIVE_PACKAGES[name])
        return `${short} is installed but its backend did not start; using ${inUse} (--backend ${name} shows the error)`
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
        return `${short} is installed but failed to load: ${reason}; using ${inUse}`
      }
    })
}
