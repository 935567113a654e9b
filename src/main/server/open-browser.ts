// Opens the browser mode's address in the user's default browser, where there is one: xdg-open on Linux
// (only with a display: without one it may start a text browser in the terminal), `open` on macOS,
// `start` on Windows. GAN_STUDIO_BROWSER names another command to open it with, or `none` to only print it.
import { spawn } from 'node:child_process'

export type BrowserOpener = { command: string; args: string[]; shell?: boolean } | { none: string }

/** How the address would be opened here, or why it will not be. */
export function browserOpener(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): BrowserOpener {
  const chosen = env.GAN_STUDIO_BROWSER?.trim()
  if (chosen === 'none') return { none: 'GAN_STUDIO_BROWSER=none' }
  if (chosen) return { command: chosen, args: [] }
  if (platform === 'darwin') return { command: 'open', args: [] }
  // `start` is a cmd.exe built-in; its first quoted argument is a window title, hence the empty one.
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] }
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { none: 'there is no display here (no DISPLAY or WAYLAND_DISPLAY)' }
  return { command: 'xdg-open', args: [] }
}

/**
 * Opens `url` without waiting for the browser; says what happened in one line. A missing or failing opener
 * is not an error: the address is printed either way.
 */
export function openInBrowser(url: string, log: (line: string) => void, opener = browserOpener()): Promise<void> {
  if ('none' in opener) {
    log(`Not opening a browser (${opener.none}): open the address above in one.`)
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const child = spawn(opener.command, [...opener.args, url], { stdio: 'ignore', detached: true, windowsHide: true })
    child.once('error', (error) => {
      log(`Could not open a browser (${opener.command}: ${error.message}): open the address above in one.`)
      resolve()
    })
    child.once('spawn', () => {
      child.unref()
      log(`Opening it in your browser (${opener.command}).`)
      resolve()
    })
  })
}
