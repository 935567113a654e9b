// What the browser mode accepts in one upload, and the error every transfer problem is reported with.

export class TransferError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TransferError'
  }
}

export interface UploadLimits {
  /** Bytes of files in one upload (a zip: what it unpacks to). */
  maxBytes: number
  /** Files in one upload (a zip: its entries). */
  maxFiles: number
  /** Bytes of one file, the zip itself included. */
  maxFileBytes: number
}

const GiB = 1024 ** 3

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxBytes: 4 * GiB, maxFiles: 200_000, maxFileBytes: 4 * GiB }
