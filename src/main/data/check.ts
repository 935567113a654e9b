// A quick look before a run is created: is the data set there at all, and for a conditional run, are its
// images sorted into class subfolders? (Decoding comes later, in the run.)
import { builtinFingerprint } from './builtin'
import { checkConditionalClasses, classOfPath, folderLabels } from './classes'
import { checkRootFolder, scanFolder, type FolderScan } from './scan'
import type { DatasetSource } from './source'

export interface SourceCheck {
  /** A conditional run: the folder must hold one subfolder per class, each with images. */
  conditional?: boolean
  /** Left out of a folder's scan (the cache folder may lie inside the image folder). */
  cacheDir?: string
}

/**
 * Throws a DataError when the folder is missing or not a folder, the built-in set is not installed, or a
 * conditional run's folder is not laid out in classes (judged by its files: whether each decodes is found
 * out while the run prepares them).
 */
export async function checkDatasetSource(source: DatasetSource, check: SourceCheck = {}): Promise<void> {
  if (source.kind === 'builtin') return void (await builtinFingerprint(source.name))
  await checkRootFolder(source.path)
  if (!check.conditional) return
  checkClassFolders(await scanFolder(source.path, { excludeDir: check.cacheDir }), source.path)
}

/** A conditional run's check of a scanned folder: one subfolder per class, each with image files, none outside. */
export function checkClassFolders(scan: FolderScan, folder: string): void {
  const files = scan.images.map((image) => image.relPath)
  const labelled = folderLabels(files, scan.subfolders)
  const unlabeled = files.filter((file) => classOfPath(file) === null)
  checkConditionalClasses(labelled?.classes ?? null, folder, scan.skipped, unlabeled)
}
