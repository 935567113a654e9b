// The desktop app's GPU path, in Chromium: the compute window's page (out/compute, as Electron loads it)
// in headless Debian Chromium with WebGPU on (SwiftShader here), driven over a MessagePort by the same
// session-side code the app uses (RemoteCompute). The figures must be the cpu backend's, to 1e-4. Electron
// hands the page its port from the main process; here the test does, through the same window message.
import { expect, test, type Page } from '@playwright/test'
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { CHROMIUM_ARGS } from '../playwright.config'
import { parseRunConfig, type RunConfigInput } from '../src/shared/config'
import { Random } from '../src/shared/random'
import { initBackend } from '../src/main/training/backend'
import type { ComputeChannel } from '../src/main/training/compute/protocol'
import { RemoteCompute } from '../src/main/training/compute/remote-trainer'
import { Trainer, type TrainerHandle } from '../src/main/training/trainer'

const COMPUTE = join(__dirname, '..', 'out', 'compute')

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // The app's Linux switch for WebGPU; a GPU is allowed (it is SwiftShader's software one here).
    args: [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), '--enable-unsafe-webgpu']
  }
})

let server: Server
let origin: string

test.beforeAll(async () => {
  if (!existsSync(join(COMPUTE, 'index.html'))) throw new Error('out/compute is missing: run `npm run build` first')
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' }
  server = createServer((request, response) => {
    const file = normalize(join(COMPUTE, new URL(request.url ?? '/', 'http://x').pathname))
    if (!file.startsWith(COMPUTE) || !existsSync(file)) return void response.writeHead(404).end()
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file))
  })
  // WebGPU exists only in secure contexts: localhost is one (as file:// is in Electron).
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

/** A session's channel into the page, as the preload would hand it over: a MessagePort, one per session. */
async function openChannel(page: Page): Promise<ComputeChannel> {
  const handlers: ((message: unknown) => void)[] = []
  await page.exposeFunction('ganToCore', (message: unknown) => handlers.forEach((h) => h(message)))
  await page.evaluate(() => {
    // The page's window, typed here without the DOM library (like the rest of the core).
    type Port = { onmessage: ((event: { data: unknown }) => void) | null; postMessage(message: unknown): void }
    const page = globalThis as unknown as {
      MessageChannel: new () => { port1: Port; port2: Port }
      postMessage(message: string, targetOrigin: string, transfer: Port[]): void
      ganToCore(message: unknown): void
      ganToCompute(message: unknown): void
    }
    const { port1, port2 } = new page.MessageChannel()
    port1.onmessage = (event) => page.ganToCore(event.data)
    page.ganToCompute = (message) => port1.postMessage(message)
    page.postMessage('gan:compute-port', '*', [port2])
  })
  return {
    post: (message) =>
      void page
        .evaluate((m) => (globalThis as unknown as { ganToCompute(m: unknown): void }).ganToCompute(m), message)
        // The page is gone (the test ended): what waits must fail, as the app's relay fails it.
        .catch((error: Error) => handlers.forEach((h) => h({ id: -1, ok: false, hostLost: true, error: { name: 'Error', message: error.message } }))),
    onMessage: (handler) => void handlers.push(handler),
    close: () => undefined
  }
}

const TINY: RunConfigInput = { ngf: 4, ndf: 4, nz: 8, batchSize: 4, fixedNoiseCount: 3, seed: 17 }
const CASES: { name: string; channels: 1 | 3; config: RunConfigInput }[] = [
  { name: 'DCGAN 32 px gray', channels: 1, config: { ...TINY, imageSize: 32 } },
  { name: 'DCGAN 64 px RGB', channels: 3, config: { ...TINY, imageSize: 64 } },
  { name: 'MLP 32 px gray', channels: 1, config: { ...TINY, imageSize: 32, arch: 'mlp' } }
]

function imagesFor(size: number, channels: 1 | 3, count: number) {
  const values = new Random(3, `compute-window/${size}/${channels}`).normalArray(count * size * size * channels)
  return { count, size, channels, pixels: Uint8Array.from(values, (v) => Math.max(0, Math.min(255, Math.round(128 + 50 * v)))) }
}

async function threeIterations(trainer: TrainerHandle): Promise<number[][]> {
  const figures: number[][] = []
  for (let i = 0; i < 3; i++) {
    const r = await trainer.step()
    figures.push([r.lossD, r.lossG, r.dReal, r.dFakeBefore, r.dFakeAfter])
  }
  return figures
}

test('the compute window trains on Chromium\'s WebGPU with the figures the cpu backend gives', async ({ page }) => {
  test.setTimeout(300_000)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(`${origin}/index.html`)
  const remote = new RemoteCompute(await openChannel(page))

  // auto's rule holds there too: a software adapter is refused unless webgpu is asked for by name.
  await expect(remote.startBackend('webgpu', false)).rejects.toMatchObject({ name: 'BackendUnavailableError', stage: 'software' })
  const started = await remote.startBackend('webgpu', true)
  expect(started.detail).toBe('webgpu (google swiftshader, Vulkan, software adapter: slow)')

  await initBackend('cpu')
  for (const c of CASES) {
    const config = parseRunConfig({ ...c.config, iterations: 3 })
    const images = imagesFor(config.imageSize, c.channels, config.batchSize * 3)
    const local = new Trainer(config, images)
    const expected = await threeIterations(local)
    const expectedImages = await local.renderFixedNoise()
    local.dispose()

    const there = await remote.createTrainer(config, images)
    const actual = await threeIterations(there)
    actual.forEach((row, i) =>
      row.forEach((v, k) => expect(Math.abs(v - expected[i][k]), `${c.name}: figure ${k} of iteration ${i + 1}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected[i][k]))))
    )
    expect(there.iteration).toBe(3)
    expect(there.finished).toBe(true)
    // The images cross back intact (their exact values drift with Adam's float noise, see compute-paths.test.ts).
    expect((await there.renderFixedNoise()).length).toBe(expectedImages.length)
    await there.dispose()
  }
  expect(errors).toEqual([])
  remote.close()
})
