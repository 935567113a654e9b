// Before an export writes a file: is something there already, and may it be replaced?
import { api } from './api'

/**
 * Whether an export may replace what is at `path`: false when nothing is there, null when the user says no.
 * A path the native save dialog returned (`confirmedByDialog`) was already confirmed in that dialog.
 */
export async function mayReplaceFile(path: string, confirmedByDialog: string | null = null): Promise<boolean | null> {
  const info = await api.pathInfo(path)
  if (!info.exists) return false
  if (info.isDirectory) throw new Error(`${info.path} is a folder; give a file name`)
  if (path === confirmedByDialog) return true
  return confirm(`${info.path} already exists. Replace it?`) ? true : null
}
