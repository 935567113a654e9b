// The compute window's preload: hands the MessagePorts the main process sends (one per training session) to
// the page, which gives each a Web Worker. Nothing is exposed to the page: it gets ports, not an API.
import { ipcRenderer } from 'electron'

const COMPUTE_PORT_MESSAGE = 'gan:compute-port'

// The preload's global is the page's window (typed here without the DOM library, like the rest of main).
const page = globalThis as unknown as { postMessage(message: string, targetOrigin: string, transfer: unknown[]): void }

ipcRenderer.on(COMPUTE_PORT_MESSAGE, (event) => {
  page.postMessage(COMPUTE_PORT_MESSAGE, '*', event.ports)
})
