// The data pipeline's public face: data set sources, preparation (decode + cache), batch order and batch filling.

export { DataError } from './errors'
export { BUILTIN_NAMES, describeDatasetSource, parseDatasetSource } from './source'
export type { BuiltinName, DatasetSource } from './source'
export type { DatasetClasses, IngestProgress, PreparedDataset, PrepareOptions, SkippedFile, SkipReason, TrainingImages } from './types'
export { prepareDataset } from './prepare'
export { checkClassFolders, checkDatasetSource } from './check'
export { checkConditionalClasses, classOfPath, NO_CLASS } from './classes'
export { IMAGE_EXTENSIONS } from './scan'
export { BatchSampler } from './sampler'
export type { SamplerState } from './sampler'
export { fillImageBatch } from './batch'
