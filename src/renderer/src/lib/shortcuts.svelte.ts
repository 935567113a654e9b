// Keyboard shortcuts: each screen or panel registers its own while it is on screen, with a description, so
// the help overlay (?) lists exactly the ones that work now. Keys typed into a field are the field's.
import { untrack } from 'svelte'

export interface Shortcut {
  /** KeyboardEvent.key values, e.g. ['p'] or ['[', 'ArrowLeft']; the first is shown in the help. */
  keys: string[]
  description: string
  run: () => void
  /** Listed but inactive when this says no (e.g. pause while nothing trains). */
  enabled?: () => boolean
}

export interface ShortcutGroup {
  id: number
  title: string
  shortcuts: Shortcut[]
}

class ShortcutRegistry {
  groups = $state<ShortcutGroup[]>([])
  private nextId = 1

  /** Adds a group; the returned function removes it. */
  add(title: string, shortcuts: Shortcut[]): () => void {
    const id = this.nextId++
    this.groups.push({ id, title, shortcuts })
    return () => {
      this.groups = this.groups.filter((g) => g.id !== id)
    }
  }

  /** Runs the shortcut for this key press, if one is registered and enabled; true when one ran. */
  handle(event: KeyboardEvent): boolean {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || takesKey(event.target, event.key)) return false
    // The newest group first: a panel's own keys win over its screen's.
    for (const group of [...this.groups].reverse()) {
      const shortcut = group.shortcuts.find((s) => s.keys.includes(event.key))
      if (!shortcut || (shortcut.enabled && !shortcut.enabled())) continue
      event.preventDefault()
      shortcut.run()
      return true
    }
    return false
  }
}

const MOVING_KEYS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']

/** Keys a focused field uses itself: a text box every key, a slider or a radio button its arrows. */
function takesKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (!(target instanceof HTMLInputElement)) return false
  if (target.type === 'range' || target.type === 'radio') return MOVING_KEYS.includes(key)
  return !['checkbox', 'button', 'submit'].includes(target.type)
}

export const shortcuts = new ShortcutRegistry()

/** For a component's script: its shortcuts work (and are listed) while it is on screen. */
export function useShortcuts(title: string, list: Shortcut[]): void {
  // Untracked: adding reads the list of groups, which must not make this effect run again.
  $effect(() => untrack(() => shortcuts.add(title, list)))
}

/** How a key reads in the help overlay. */
export function keyLabel(key: string): string {
  const names: Record<string, string> = { ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc', ' ': 'Space' }
  return names[key] ?? key
}
