// Which backends this machine has, without starting any: the native packages where they are installed,
// then webgpu (whose package always is; whether a GPU answers takes a start, see describeBackends), wasm
// and cpu. For the app's settings and the new-run form.
import type { BackendName } from '../../../shared/config'
import { runtimeRequire } from '../../runtime-require'
import { NATIVE_PACKAGES } from './native'

export function availableBackends(): BackendName[] {
  const native = (Object.keys(NATIVE_PACKAGES) as (keyof typeof NATIVE_PACKAGES)[]).filter((name) => {
    try {
      runtimeRequire.resolve(NATIVE_PACKAGES[name])
      return true
    } catch {
      return false
    }
  })
  const [gpu, cpu] = [native.filter((n) => n === 'tensorflow-gpu'), native.filter((n) => n !== 'tensorflow-gpu')]
  return [...gpu, 'webgpu', ...cpu, 'wasm', 'cpu']
}
