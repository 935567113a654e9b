// Electron IPC channel names, shared by the main process and the preload.
import type { MethodName } from './api'

export const EVENT_CHANNEL = 'gan:event'

export function methodChannel(name: MethodName): string {
  return `gan:${name}`
}
