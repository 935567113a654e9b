// The classes of a data set, for conditional GANs. A folder's classes are its first-level subfolders, as in
// torchvision's ImageFolder (root/cats/x.png is a cat, root/cats/kittens/y.png too); a built-in set brings its
// own labels. Every image gets a label, NO_CLASS for one lying directly in the folder; whether a run may use
// the labels is checked here too, with messages that say what to change.

import { conditionalClassesProblem } from '../../shared/classes'
import type { DatasetClasses, SkippedFile } from '../../shared/dataset'
import { DataError } from './errors'

export type { DatasetClasses }

/** The label of an image outside every class (directly in the folder's root). */
export const NO_CLASS = -1

/** The class (first-level subfolder) of a file given relative to the data set folder, or null in the root. */
export function classOfPath(relPath: string): string | null {
  const slash = relPath.indexOf('/')
  return slash < 0 ? null : relPath.slice(0, slash)
}

/**
 * Labels for a folder's images (`files`, relative paths) from its subfolders. Null when the folder has no
 * subfolder: then it has no classes at all.
 */
export function folderLabels(files: readonly string[], subfolders: readonly string[]): { labels: Int32Array; classes: DatasetClasses } | null {
  if (subfolders.length === 0) return null
  const index = new Map(subfolders.map((name, i) => [name, i]))
  const labels = Int32Array.from(files, (file) => {
    const name = classOfPath(file)
    return name === null ? NO_CLASS : (index.get(name) ?? NO_CLASS)
  })
  return { labels, classes: summarizeClasses(labels, subfolders, 'subfolders') }
}

/** Counts per class (and the images in none) for labels over `names`. */
export function summarizeClasses(labels: ArrayLike<number>, names: readonly string[], from: DatasetClasses['from']): DatasetClasses {
  const counts = new Array<number>(names.length).fill(0)
  let unlabeled = 0
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]
    if (label >= 0 && label < names.length) counts[label]++
    else unlabeled++
  }
  return { names: [...names], counts, unlabeled, from }
}

/**
 * The classes, when a conditional run can train on them; a DataError naming the problem and the fix
 * otherwise. `where` names the data set; `skipped` tells why a class has no usable image.
 */
export function checkConditionalClasses(classes: DatasetClasses | null, where: string, skipped: readonly SkippedFile[] = [], unlabeledExamples: readonly string[] = []): DatasetClasses {
  const problem = conditionalClassesProblem(classes, where, {
    unlabeledExamples,
    emptyClass: (name) => {
      const left = skipped.filter((f) => f.path.startsWith(`${name}/`))
      return left.length === 0 ? `${name}/ (no image files)` : `${name}/ (${left.length} file${left.length === 1 ? '' : 's'} skipped, e.g. ${left[0].path}: ${left[0].reason})`
    }
  })
  if (problem) throw new DataError(problem.message, { hint: problem.hint })
  return classes!
}
