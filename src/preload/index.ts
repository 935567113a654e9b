// The renderer's only door to the core: exactly the API's methods (as IPC invokes) and its event stream.
// No ipcRenderer, no Node: contextIsolation and the sandbox keep everything else out of reach.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { METHOD_NAMES, wireArguments, type ApiEvent } from '../shared/api'
import { EVENT_CHANNEL, methodChannel } from '../shared/ipc'

const api: Record<string, unknown> = {}
for (const name of METHOD_NAMES) api[name] = (...args: unknown[]) => ipcRenderer.invoke(methodChannel(name), ...wireArguments(args))
api.onEvent = (listener: (event: ApiEvent) => void) => {
  const forward = (_: IpcRendererEvent, event: ApiEvent) => listener(event)
  ipcRenderer.on(EVENT_CHANNEL, forward)
  return () => ipcRenderer.off(EVENT_CHANNEL, forward)
}
contextBridge.exposeInMainWorld('gan', api)
