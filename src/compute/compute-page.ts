// The desktop app's hidden compute window: each MessagePort it is handed (one per training session, by the
// preload from the main process) gets a Web Worker of its own that trains there on Chromium's WebGPU.
// Nothing here is shown; the window exists because Chromium's WebGPU lives in renderers and their workers.

export const COMPUTE_PORT_MESSAGE = 'gan:compute-port'

window.addEventListener('message', (event: MessageEvent) => {
  // Only ports the preload forwards from the main process, on this window's own origin.
  if (event.source !== window || event.data !== COMPUTE_PORT_MESSAGE) return
  for (const port of event.ports) {
    const worker = new Worker('./compute-worker.js')
    worker.addEventListener('error', (error) => {
      // A worker that cannot even start: the session hears of it as a lost GPU, instead of waiting.
      port.postMessage({ id: -1, ok: false, hostLost: true, error: { name: 'GpuFaultError', kind: 'device-lost', message: `the GPU's compute worker failed to start (${error.message})` } })
    })
    worker.postMessage(COMPUTE_PORT_MESSAGE, [port])
  }
})
