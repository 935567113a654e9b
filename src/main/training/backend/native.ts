// The native TensorFlow backends (tfjs-node-gpu, tfjs-node) are optional dependencies that many machines
// cannot install. They are loaded at run time through a require whose module name the bundler never sees,
// so neither the build nor the tests need them.
import * as tf from '@tensorflow/tfjs'
import { runtimeRequire } from '../../runtime-require'
import { BackendUnavailableError } from './errors'

export { BackendUnavailableError }

export type NativeBackendName = 'tensorflow-gpu' | 'tensorflow'

/** The npm package behind each native backend. */
export const NATIVE_PACKAGES: Record<NativeBackendName, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node'
}

/** Both packages register their backend under this name. */
const TF_NATIVE_BACKEND = 'tensorflow'


function isMissingModule(error: unknown, packageName: string): boolean {
  const e = error as { code?: string; message?: string }
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(packageName)
}

/** Loads the native package and makes its backend the active one; throws BackendUnavailableError. */
export async function startNativeBackend(name: NativeBackendName): Promise<void> {
  const packageName = NATIVE_PACKAGES[name]
  const short = packageName.replace('@tensorflow/', '')
  const gpuNote = name === 'tensorflow-gpu' ? ' (needs an NVIDIA GPU with CUDA)' : ''
  try {
    runtimeRequire(packageName)
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error)
    if (isMissingModule(error, packageName)) {
      throw new BackendUnavailableError(
        `${short} is not installed: npm install ${packageName}${gpuNote}, or use the wasm backend (--backend wasm)`,
        detail,
        'missing'
      )
    }
    throw new BackendUnavailableError(
      `${short} is installed but failed to load (${detail}): reinstall it with npm install ${packageName}${gpuNote}, ` +
        'or use the wasm backend (--backend wasm)',
      detail,
      'load'
    )
  }
  let ok = false
  try {
    ok = await tf.setBackend(TF_NATIVE_BACKEND)
    await tf.ready()
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new BackendUnavailableError(
      `${short} loaded but its backend failed to start (${detail}); use the wasm backend (--backend wasm)`,
      detail,
      'start'
    )
  }
  if (!ok) {
    throw new BackendUnavailableError(
      `${short} loaded but its backend failed to start; use the wasm backend (--backend wasm)`,
      'tf.setBackend returned false',
      'start'
    )
  }
}
