// Node's require for run-time lookups (package files, optional packages), resolving from this file or from
// the bundle it ends up in. import.meta.url is empty in the CommonJS bundles, __filename is missing in ESM.
import { createRequire } from 'node:module'
import path from 'node:path'

export const runtimeRequire: NodeJS.Require = createRequire(
  typeof __filename === 'string' ? __filename : path.join(process.cwd(), 'noop.js')
)
