// The run store: one SQLite database holding runs, their metrics, checkpoints, sample grids, data set
// manifests and saved latent vectors. Each domain's queries live in their own module and take the db.
export { openDatabase, StoreError, type Db, type OpenOptions } from './database'
export * from './runs'
export * from './metrics'
export * from './checkpoints'
export * from './grids'
export * from './datasets'
export * from './latents'
export * from './directions'
export * from './scalars'
export * from './health'
