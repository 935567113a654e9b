// Runs the PyTorch DCGAN reference (dcgan_reference.py) in a child process and returns its figures.
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'

export interface PytorchFigures {
  config: string
  secondsPerIteration: number
  imagesPerSecond: number
  generate64Seconds: number
  threads: number
  torchVersion: string
  /** 'cpu', or the GPU's name. */
  device: string
  blas: string
  paramsG: number
  paramsD: number
}

export interface PytorchReferenceOptions {
  iterations?: number
  warmup?: number
  threads?: number
  /** cpu (default), cuda, or auto: cuda where this PyTorch has a GPU. */
  device?: 'cpu' | 'cuda' | 'auto'
  /** The Python to use (the GPU bundle names the one with CUDA); default: the first that imports torch. */
  python?: string
}

// Debian's python3-torch lives under /usr/bin/python3; the `python3` on PATH may be a pyenv one without torch.
const PYTHON_CANDIDATES = ['/usr/bin/python3', 'python3']
const SCRIPT = join(__dirname, 'dcgan_reference.py')
const STDERR_TAIL_CHARS = 2000

// torch runs its own intra-op threads; a multi-threaded OpenBLAS underneath would oversubscribe the cores.
const CHILD_ENV = { ...process.env, OPENBLAS_NUM_THREADS: '1' }

let pythonLookup: { python: string } | { reason: string } | undefined

/** The first candidate interpreter that can `import torch`, looked up once per process. */
function findTorchPython(): { python: string } | { reason: string } {
  if (pythonLookup) return pythonLookup
  const failures: string[] = []
  for (const python of PYTHON_CANDIDATES) {
    const probe = spawnSync(python, ['-c', 'import torch'], { env: CHILD_ENV, encoding: 'utf8', timeout: 60_000 })
    if (probe.status === 0) {
      pythonLookup = { python }
      return pythonLookup
    }
    const why = probe.error ? probe.error.message : tail(probe.stderr ?? '', 200).trim() || `exit ${probe.status}`
    failures.push(`${python}: ${why}`)
  }
  pythonLookup = {
    reason: `no Python with PyTorch found (install python3-torch, e.g. apt-get install python3-torch). Tried ${failures.join('; ')}`,
  }
  return pythonLookup
}

/** Runs the reference in a child process; a skipped reason (with the stderr tail) when torch is unusable. */
export async function runPytorchReference(
  config: 'A' | 'B',
  opts: PytorchReferenceOptions = {},
): Promise<{ figures: PytorchFigures } | { skipped: string }> {
  const found = opts.python ? { python: opts.python } : findTorchPython()
  if ('reason' in found) return { skipped: found.reason }

  const args = [SCRIPT, '--config', config, '--json']
  if (opts.iterations !== undefined) args.push('--iterations', String(opts.iterations))
  if (opts.warmup !== undefined) args.push('--warmup', String(opts.warmup))
  if (opts.threads !== undefined) args.push('--threads', String(opts.threads))
  if (opts.device !== undefined) args.push('--device', opts.device)

  const run = await runChild(found.python, args)
  if (run.error) return { skipped: `could not start ${found.python}: ${run.error}` }
  if (run.code !== 0) {
    return { skipped: `PyTorch reference exited with ${run.code}: ${tail(run.stderr, STDERR_TAIL_CHARS)}` }
  }
  const parsed = parseFigures(run.stdout)
  if (typeof parsed === 'string') {
    return { skipped: `PyTorch reference printed no usable JSON (${parsed}): ${tail(run.stderr, STDERR_TAIL_CHARS)}` }
  }
  return { figures: parsed }
}

interface ChildResult {
  code: number | null
  stdout: string
  stderr: string
  error?: string
}

function runChild(python: string, args: string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(python, args, { env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', (err) => resolve({ code: null, stdout, stderr, error: err.message }))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** The figures from the last stdout line that is a JSON object, or a description of what was wrong. */
function parseFigures(stdout: string): PytorchFigures | string {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.trimStart().startsWith('{'))
  if (!line) return 'no JSON line on stdout'
  let raw: unknown
  try {
    raw = JSON.parse(line)
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`
  }
  if (typeof raw !== 'object' || raw === null) return 'JSON is not an object'
  const r = raw as Record<string, unknown>
  const num = (key: string): number | undefined => (typeof r[key] === 'number' ? (r[key] as number) : undefined)
  const str = (key: string): string | undefined => (typeof r[key] === 'string' ? (r[key] as string) : undefined)
  const figures = {
    config: str('config'),
    secondsPerIteration: num('seconds_per_iteration_median'),
    imagesPerSecond: num('images_per_second'),
    generate64Seconds: num('generate64_seconds_median'),
    threads: num('threads'),
    torchVersion: str('torch_version'),
    device: str('device'),
    blas: str('blas'),
    paramsG: num('params_G'),
    paramsD: num('params_D'),
  }
  const missing = Object.entries(figures)
    .filter(([, v]) => v === undefined)
    .map(([k]) => k)
  if (missing.length > 0) return `missing or mistyped fields: ${missing.join(', ')}`
  return figures as PytorchFigures
}

function tail(text: string, chars: number): string {
  return text.length <= chars ? text : `…${text.slice(-chars)}`
}
