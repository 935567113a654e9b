// Builds a run's generator and discriminator from its config, initialized from the run's seed.
import { Random } from '../../shared/random'
import type { RunConfig } from '../../shared/config'
import { buildDcganDiscriminator, buildDcganGenerator } from './dcgan'
import { buildMlpDiscriminator, buildMlpGenerator } from './mlp'
import type { GanNetworks, Network } from './network'

/** `classes`: the data set's, for a conditional config (ignored otherwise). */
function shapeOf(config: RunConfig, channels: 1 | 3, classes: number) {
  if (config.conditional && classes < 2) throw new Error(`a conditional GAN needs the data set's classes (2 or more), got ${classes}`)
  return { imageSize: config.imageSize, channels, nz: config.nz, ngf: config.ngf, ndf: config.ndf, classes: config.conditional ? classes : 0 }
}

// Separate random streams, so that G's initial weights do not depend on D's shape and vice versa.
export function buildGenerator(config: RunConfig, channels: 1 | 3, classes = 0): Network {
  const random = new Random(config.seed, 'init/generator')
  const shape = shapeOf(config, channels, classes)
  return config.arch === 'mlp' ? buildMlpGenerator(shape, random) : buildDcganGenerator(shape, random)
}

export function buildDiscriminator(config: RunConfig, channels: 1 | 3, classes = 0): Network {
  const random = new Random(config.seed, 'init/discriminator')
  const shape = shapeOf(config, channels, classes)
  return config.arch === 'mlp' ? buildMlpDiscriminator(shape, random, config.dNorm) : buildDcganDiscriminator(shape, random, config.dNorm)
}

export function buildNetworks(config: RunConfig, channels: 1 | 3, classes = 0): GanNetworks {
  return { generator: buildGenerator(config, channels, classes), discriminator: buildDiscriminator(config, channels, classes) }
}
