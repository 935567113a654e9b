// Image-quality metrics of a run: the sliced Wasserstein distance (ProGAN), the images it compares, and how
// often to compute it.

export {
  PROJECTION_CACHE_BYTES,
  SWD_DEFAULTS,
  SWD_IMAGE_COUNT,
  descriptorsOfImages,
  slicedWassersteinDistance,
  swdDescriptors
} from './swd'
export type { DescriptorLevel, ImageSet, SwdDescriptors, SwdOptions, SwdResult } from './swd'
export { fixedRealIndices, fixedRealSubset, imageSetOf } from './image-sets'
export { SWD_TIME_BUDGET, swdInterval, swdTimeShare } from './schedule'
