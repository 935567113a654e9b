// Latent vectors from seeds live in src/shared/noise.ts, so the UI draws exactly the same ones.
export { fixedNoise, seededNoise } from '../../shared/noise'
