// What training reads of a data set: plain data, so it can be handed to a trainer elsewhere (the desktop
// app's compute window). No imports: this is the data side's one module the browser bundle includes.

export interface TrainingImages {
  count: number
  /** Side S of the square images. */
  size: number
  channels: 1 | 3
  /** count * S * S * channels bytes, HWC per image, images consecutive. */
  pixels: Uint8Array
}
