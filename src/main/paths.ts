// Where GAN Studio keeps its files when nobody says otherwise: one place shared by the desktop app, the
// CLI and `gan-studio serve`, so a run started in one shows up in the others.
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The app's data folder: the run database lives here. */
export function defaultDataDir(): string {
  if (process.env.GAN_STUDIO_HOME) return process.env.GAN_STUDIO_HOME
  if (process.platform === 'win32' && process.env.APPDATA) return join(process.env.APPDATA, 'gan-studio')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'gan-studio')
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'gan-studio')
}

/** Preprocessed data sets: safe to delete, rebuilt on demand. */
export function defaultCacheDir(): string {
  if (process.env.GAN_STUDIO_CACHE) return process.env.GAN_STUDIO_CACHE
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, 'gan-studio', 'cache')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'gan-studio')
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'gan-studio')
}
