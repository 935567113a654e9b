// What a WebGPU adapter is, as the core (Dawn) and the desktop app's window (Chromium) both see it.

/** Software rasterizers that offer WebGPU: correct but slower than our CPU engines. */
export const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i

export interface AdapterInfoLike {
  vendor?: string
  architecture?: string
  device?: string
  description?: string
  isFallbackAdapter?: boolean
}

/** A software adapter (or the browser's fallback one): auto never trains on it. */
export function isSoftwareAdapter(info: AdapterInfoLike): boolean {
  return info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test([info.vendor, info.architecture, info.device, info.description].join(' '))
}
