// The one client of this page, created at start; components import it rather than a transport.
import { createClient } from '../api/client'

export const api = createClient()

/** An error's message for a person (API errors already carry one). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '') : String(error)
}
