// Builds a run's generator and discriminator from its config, initialized from the run's seed.
import { Random } from '../../shared/random'
import type { RunConfig } from '../../shared/config'
import { buildDcganDiscriminator, buildDcganGenerator } from './dcgan'
import { buildMlpDiscriminator, buildMlpGenerator } from './mlp'
import type { GanNetworks, Network } from './network'

function shapeOf(config: RunConfig, channels: 1 | 3) {
  return { imageSize: config.imageSize, channels, nz: config.nz, ngf: config.ngf, ndf: config.ndf }
}

// Separate random streams, so that G's initial weights do not depend on D's shape and vice versa.
export function buildGenerator(config: RunConfig, channels: 1 | 3): Network {
  const random = new Random(config.seed, 'init/generator')
  const shape = shapeOf(config, channels)
  return config.arch === 'mlp' ? buildMlpGenerator(shape, random) : buildDcganGenerator(shape, random)
}

export function buildDiscriminator(config: RunConfig, channels: 1 | 3): Network {
  const random = new Random(config.seed, 'init/discriminator')
  const shape = shapeOf(config, channels)
  return config.arch === 'mlp' ? buildMlpDiscriminator(shape, random, config.dNorm) : buildDcganDiscriminator(shape, random, config.dNorm)
}

export function buildNetworks(config: RunConfig, channels: 1 | 3): GanNetworks {
  return { generator: buildGenerator(config, channels), discriminator: buildDiscriminator(config, channels) }
}
