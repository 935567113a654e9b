// What training reads of a data set: plain data, so it can be handed to a trainer elsewhere (the desktop
// app's compute window). Type imports only: this is the data side's one module the browser bundle includes.
import type { DatasetClasses } from '../../shared/dataset'

export interface TrainingImages {
  count: number
  /** Side S of the square images. */
  size: number
  channels: 1 | 3
  /** count * S * S * channels bytes, HWC per image, images consecutive. */
  pixels: Uint8Array
  /** The class of each image (NO_CLASS, -1, for none), where the data set has classes. */
  labels?: Int32Array | null
  classes?: DatasetClasses | null
}
