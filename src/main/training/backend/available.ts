// Which backends this machine has, without starting any: the native packages where they are installed,
// then wasm and cpu, which always are. For the app's settings and the new-run form.
import type { BackendName } from '../../../shared/config'
import { NATIVE_PACKAGES, runtimeRequire } from './native'

export function availableBackends(): BackendName[] {
  const native = (Object.keys(NATIVE_PACKAGES) as (keyof typeof NATIVE_PACKAGES)[]).filter((name) => {
    try {
      runtimeRequire.resolve(NATIVE_PACKAGES[name])
      return true
    } catch {
      return false
    }
  })
  return [...native, 'wasm', 'cpu']
}
