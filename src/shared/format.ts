// Human-readable durations, rates and sizes, for the terminal and the UI.

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--'
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = s % 60
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`
  if (m > 0) return `${m}m${String(rest).padStart(2, '0')}s`
  return `${rest}s`
}

export function formatRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return `-- ${unit}/s`
  if (perSecond >= 100) return `${perSecond.toFixed(0)} ${unit}/s`
  if (perSecond >= 1) return `${perSecond.toFixed(2)} ${unit}/s`
  return `${(1 / perSecond).toFixed(2)} s/${unit}`
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`
}
