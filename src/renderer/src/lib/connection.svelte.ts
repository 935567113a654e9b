// Whether the page can reach the core: always in Electron; in the browser mode the socket can drop (the
// server stopped, the network went away) and comes back by itself. Screens read it to say so and to
// disable what needs the server.
import type { ConnectionState } from '../api/client'
import { api } from './api'

class Connection {
  state = $state<ConnectionState>('connected')
  /** Counts the returns after a drop: a banner showing an error from the outage clears itself on the next. */
  returns = $state(0)
  readonly online = $derived(this.state === 'connected')
  private wasDown = false

  constructor() {
    api.onConnection((state) => {
      if (state === 'disconnected') this.wasDown = true
      if (state === 'connected' && this.wasDown) {
        this.wasDown = false
        this.returns += 1
      }
      this.state = state
    })
  }
}

export const connection = new Connection()
