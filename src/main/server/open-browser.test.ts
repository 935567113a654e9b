// Which command opens the browser mode's address, and when none is tried.
import { describe, expect, it } from 'vitest'
import { browserOpener, openInBrowser } from './open-browser'

describe('browserOpener', () => {
  it('uses the platform opener, xdg-open only where there is a display', () => {
    expect(browserOpener({ DISPLAY: ':0' }, 'linux')).toEqual({ command: 'xdg-open', args: [] })
    expect(browserOpener({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toEqual({ command: 'xdg-open', args: [] })
    expect(browserOpener({}, 'linux')).toEqual({ none: 'there is no display here (no DISPLAY or WAYLAND_DISPLAY)' })
    expect(browserOpener({}, 'darwin')).toEqual({ command: 'open', args: [] })
    expect(browserOpener({}, 'win32')).toEqual({ command: 'cmd', args: ['/c', 'start', '""'] })
  })

  it('follows GAN_STUDIO_BROWSER: another command, or none', () => {
    expect(browserOpener({ GAN_STUDIO_BROWSER: 'firefox', DISPLAY: ':0' }, 'linux')).toEqual({ command: 'firefox', args: [] })
    expect(browserOpener({ GAN_STUDIO_BROWSER: 'none', DISPLAY: ':0' }, 'darwin')).toEqual({ none: 'GAN_STUDIO_BROWSER=none' })
  })

  it('says so, and goes on, when the opener is missing', async () => {
    const lines: string[] = []
    await openInBrowser('http://127.0.0.1:1/?token=t', (l) => lines.push(l), { command: '/nonexistent/xdg-open', args: [] })
    expect(lines).toEqual([expect.stringMatching(/^Could not open a browser \(\/nonexistent\/xdg-open: .*ENOENT.*\): open the address above in one\.$/)])
  })
})
