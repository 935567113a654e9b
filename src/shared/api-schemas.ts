// The arguments of every API method (src/shared/api.ts) as zod tuple schemas, validated in the core before any
// use, with messages written for the user. METHOD_NAMES is derived from them, so a method without a schema
// does not exist on either transport.
import { z } from 'zod'
import type { MethodName } from './api'
import { BACKENDS } from './config'
import { DIRECTION_METHODS, MAX_DIRECTIONS } from './latent-directions'

const runId = z.number({ error: 'run id must be a number' }).int().positive()
const iteration = z.number({ error: 'iteration must be a number' }).int().min(0)
const latentVector = z.array(z.number({ error: 'a latent vector holds numbers' }).finite('latent values must be finite')).min(1).max(1024)
const latentVectors = z.array(latentVector).min(1, 'give at least one latent vector').max(1024, 'at most 1,024 images at a time')
const scale = z.number().int('scale must be a whole number').min(1, 'scale must be 1 to 8').max(8, 'scale must be 1 to 8')
const padding = z.number().int('padding must be a whole number').min(0, 'padding must be 0 or more').max(64, 'padding must be at most 64')
const exportPath = z.string().trim().min(1, 'choose where to save the file').max(4096)
const rgb = z.tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255), z.number().int().min(0).max(255)])
const comparedRuns = z.array(runId).min(2, 'compare at least 2 runs').max(6, 'compare at most 6 runs at once')
const dataSource = z.string({ error: 'data source must be text' }).min(1, 'choose a folder or a built-in data set')
const generatorChoice = z.enum(['ema', 'raw'], { error: 'generator must be "ema" (the moving average) or "raw" (the trained one)' }).optional()

const overwrite = z.boolean()
const EXPORT_KINDS = [
  z.object({ kind: z.literal('grid'), runId, iteration: iteration.nullable(), generator: generatorChoice, vectors: latentVectors, perRow: z.number().int().min(1).max(1024), padding: padding, padColor: rgb, scale, path: exportPath, overwrite }),
  z.object({ kind: z.literal('strip'), runId, iteration: iteration.nullable(), generator: generatorChoice, vectors: latentVectors, padding: padding, padColor: rgb, scale, path: exportPath, overwrite }),
  z.object({ kind: z.literal('gif'), runId, iteration: iteration.nullable(), generator: generatorChoice, vectors: latentVectors, fps: z.number().min(0.1, 'fps must be at least 0.1').max(50, 'a GIF plays at most 50 frames per second'), scale, loop: z.boolean(), path: exportPath, overwrite }),
  z.object({ kind: z.literal('model'), runId, iteration: iteration.nullable(), generator: generatorChoice, path: exportPath, overwrite }),
  z.object({ kind: z.literal('metrics'), runId, path: exportPath, overwrite }),
  z.object({ kind: z.literal('comparison-png'), runIds: comparedRuns, iteration, scale, charts: z.boolean(), path: exportPath, overwrite }),
  z.object({ kind: z.literal('comparison-csv'), runIds: comparedRuns, path: exportPath, overwrite })
] as const
const uploadId = z.string().regex(/^[0-9a-f]{24}$/, 'this upload is not known (start it again)')

/** The arguments of every method, as a tuple schema: validated in the core before any use. */
export const ARGUMENT_SCHEMAS = {
  appInfo: z.tuple([]),
  describeBackends: z.tuple([]),
  listRuns: z.tuple([]),
  getRun: z.tuple([runId]),
  createRun: z.tuple([
    z.object({
      source: dataSource,
      // Fully validated by parseRunConfig in the core; here only its shape.
      config: z.record(z.string(), z.unknown()),
      name: z.string().max(80, 'a run name can have at most 80 characters').optional()
    })
  ]),
  startRun: z.tuple([
    runId,
    z
      .object({
        lrD: z.number().positive('a learning rate must be above 0').optional(),
        lrG: z.number().positive('a learning rate must be above 0').optional(),
        backend: z.enum(BACKENDS, { error: `backend must be one of ${BACKENDS.join(', ')}` }).optional(),
        // Their ranges are the config schema's, checked when the change is applied.
        labelSmoothing: z.number().optional(),
        dStepsPerG: z.number().int().optional()
      })
      .strict()
      .optional()
  ]),
  pauseRun: z.tuple([runId]),
  stopRun: z.tuple([runId]),
  checkpointRun: z.tuple([runId]),
  renameRun: z.tuple([runId, z.string().min(1, 'a run name cannot be empty').max(80, 'a run name can have at most 80 characters')]),
  deleteRun: z.tuple([runId]),
  previewDataset: z.tuple([
    z.object({
      source: dataSource,
      size: z.union([z.literal(32), z.literal(64)], { error: 'image size must be 32 or 64' }),
      channels: z.union([z.literal(1), z.literal(3)]).optional(),
      previewId: z.string().min(1).max(100)
    })
  ]),
  measureStep: z.tuple([
    z.object({
      // Fully validated by parseRunConfig in the core; here only its shape.
      config: z.record(z.string(), z.unknown()),
      channels: z.union([z.literal(1), z.literal(3)], { error: 'channels must be 1 or 3' }),
      /** A conditional config's number of classes (the data set's). */
      classes: z.number().int().min(0).max(100_000).optional()
    })
  ]),
  getMetrics: z.tuple([runId, z.number().int().min(0)]),
  getScalars: z.tuple([runId]),
  listGrids: z.tuple([runId]),
  getGrid: z.tuple([runId, z.number().int().min(0).optional()]),
  getRealGrid: z.tuple([runId, z.number().int().min(1).max(256)]),
  listCheckpoints: z.tuple([runId]),
  pinCheckpoint: z.tuple([runId, iteration, z.boolean()]),
  pickFolder: z.tuple([]),
  browseFolder: z.tuple([z.string().max(4096).optional()]),
  describeGenerator: z.tuple([runId]),
  generate: z.tuple([
    z.object({
      runId,
      iteration: iteration.nullable(),
      vectors: latentVectors,
      channel: z.string().max(100).optional(),
      generator: generatorChoice
    })
  ]),
  listLatents: z.tuple([runId]),
  saveLatent: z.tuple([runId, z.string().trim().min(1, 'a saved vector needs a name').max(80, 'a name can have at most 80 characters'), latentVector]),
  renameLatent: z.tuple([runId, z.number().int().positive(), z.string().trim().min(1, 'a saved vector needs a name').max(80, 'a name can have at most 80 characters')]),
  deleteLatent: z.tuple([runId, z.number().int().positive()]),
  latentDirections: z.tuple([
    z.object({
      runId,
      iteration: iteration.nullable(),
      method: z.enum(DIRECTION_METHODS, { error: `the method must be one of ${DIRECTION_METHODS.join(', ')}` }),
      count: z.number().int().min(1, 'ask for at least 1 direction').max(MAX_DIRECTIONS, `at most ${MAX_DIRECTIONS} directions`)
    })
  ]),
  listDirections: z.tuple([runId]),
  saveDirection: z.tuple([
    runId,
    z.object({
      name: z.string().trim().min(1, 'a saved direction needs a name').max(80, 'a name can have at most 80 characters'),
      source: z.string().trim().min(1).max(80),
      iteration: iteration.nullable(),
      vector: latentVector
    })
  ]),
  deleteDirection: z.tuple([runId, z.number().int().positive()]),
  nearestImages: z.tuple([
    z.object({ runId, iteration: iteration.nullable(), vector: latentVector, k: z.number().int().min(1, 'ask for at least 1 image').max(64, 'at most 64 images') })
  ]),
  measureMemorization: z.tuple([runId, iteration.nullable()]),
  exportFile: z.tuple([z.discriminatedUnion('kind', EXPORT_KINDS)]),
  pathInfo: z.tuple([exportPath]),
  chooseSavePath: z.tuple([z.object({ title: z.string().max(200), defaultName: z.string().max(255), folder: z.boolean() })]),
  prepareDownload: z.tuple([
    z.discriminatedUnion(
      'kind',
      (EXPORT_KINDS as readonly z.ZodObject[]).map((kind) => kind.omit({ path: true, overwrite: true }).extend({ fileName: z.string().trim().min(1, 'the download needs a file name').max(200) })) as unknown as [z.ZodObject, ...z.ZodObject[]]
    )
  ]),
  beginUpload: z.tuple([
    z.object({
      name: z.string().max(255),
      kind: z.enum(['folder', 'zip']),
      files: z.number().int().min(1, 'the folder holds no files to upload'),
      bytes: z.number().int().min(0)
    })
  ]),
  finishUpload: z.tuple([uploadId]),
  cancelUpload: z.tuple([uploadId])
} satisfies Record<MethodName, z.ZodType>

export const METHOD_NAMES = Object.keys(ARGUMENT_SCHEMAS) as MethodName[]
