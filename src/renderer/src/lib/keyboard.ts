// Keyboard behaviour shared by the UI's parts, as Svelte actions: modal dialogs, groups of choices that are
// one tab stop, and inline editors that take the focus when they open.

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])'

/**
 * A modal dialog: the focus moves into it, Tab cycles inside it, Escape closes it, and the focus goes back
 * where it was when it closes.
 */
export function modal(node: HTMLElement, onclose: () => void) {
  let close = onclose
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
  const focusables = () => [...node.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((e) => e.offsetParent !== null)
  queueMicrotask(() => {
    if (!node.contains(document.activeElement)) (node.querySelector<HTMLElement>('[autofocus]') ?? focusables()[0] ?? node).focus()
  })
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      close()
    } else if (event.key === 'Tab') {
      const items = focusables()
      if (items.length === 0) return
      const first = items[0]
      const last = items[items.length - 1]
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault()
        last.focus()
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault()
        first.focus()
      }
    }
  }
  node.addEventListener('keydown', onKey)
  return {
    update(next: () => void) {
      close = next
    },
    destroy() {
      node.removeEventListener('keydown', onKey)
      if (before?.isConnected) before.focus()
    }
  }
}

/**
 * A group of choices (role radio or tab) that is one tab stop: the arrow keys move to the previous or next
 * choice and choose it, Home and End to the first and last. The items say which is chosen with their
 * tabindex (0 on it, -1 on the others).
 */
export function arrowKeys(node: HTMLElement) {
  const onKey = (event: KeyboardEvent) => {
    const items = [...node.querySelectorAll<HTMLElement>('[role="radio"], [role="tab"]')].filter((e) => !e.hasAttribute('disabled'))
    const at = items.indexOf(document.activeElement as HTMLElement)
    if (at < 0) return
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }
    if (!(event.key in moves)) return
    event.preventDefault()
    const next = items[(moves[event.key] + items.length) % items.length]
    next.focus()
    next.click()
  }
  node.addEventListener('keydown', onKey)
  return { destroy: () => node.removeEventListener('keydown', onKey) }
}

/** An inline editor that just opened takes the focus, its text selected for retyping. */
export function focusOnOpen(node: HTMLInputElement) {
  node.focus()
  node.select()
}
