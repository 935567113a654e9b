// A queue of session commands: taken all at once between iterations, or awaited while paused.
import type { SessionCommand } from './protocol'

export class CommandInbox {
  private queue: SessionCommand[] = []
  private waiting: ((command: SessionCommand) => void) | null = null

  push(command: SessionCommand): void {
    if (this.waiting) {
      const resolve = this.waiting
      this.waiting = null
      resolve(command)
    } else {
      this.queue.push(command)
    }
  }

  drain(): SessionCommand[] {
    const commands = this.queue
    this.queue = []
    return commands
  }

  next(): Promise<SessionCommand> {
    const queued = this.queue.shift()
    if (queued) return Promise.resolve(queued)
    return new Promise((resolve) => {
      this.waiting = resolve
    })
  }
}
