// A quick look before a run is created: is the data set there at all? (Decoding comes later, in the run.)
import { builtinFingerprint } from './builtin'
import { checkRootFolder } from './scan'
import type { DatasetSource } from './source'

/** Throws a DataError when the folder is missing or not a folder, or the built-in set is not installed. */
export async function checkDatasetSource(source: DatasetSource): Promise<void> {
  if (source.kind === 'folder') await checkRootFolder(source.path)
  else await builtinFingerprint(source.name)
}
