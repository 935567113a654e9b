import { describe, expect, it } from 'vitest'
import { classLabel, classOf, conditionalClassesProblem, GRID_IMAGES_PER_CLASS, latentsWithClasses, perClassLatents, progressGridLatents, progressGridShape, setClass, withClass } from './classes'
import { interpolate, interpolationFrames, keyframePath } from './latent'

describe('conditional latent vectors', () => {
  it('are z followed by one weight per class', () => {
    expect(withClass([0.5, -1], 2, 3)).toEqual([0.5, -1, 0, 0, 1])
    expect(classOf([0.5, -1, 0, 0, 1], 2, 3)).toBe(2)
    expect(classOf([0.5, -1, 0.2, 0.7, 0.1], 2, 3)).toBe(1)
    expect(classOf([0.5, -1], 2, 0)).toBeNull()
    expect(setClass([0.5, -1, 0, 0, 1], 2, 0, 3)).toEqual([0.5, -1, 1, 0, 0])
    expect(() => withClass([0], 3, 3)).toThrow('class 3 does not exist: this generator has 3 classes, numbered 0 to 2')
    expect(classLabel(['T-shirt/top', 'Trouser'], 1)).toBe('1 (Trouser)')
    expect(classLabel(['0', '1'], 1)).toBe('1')
  })

  it('lay out the progress grid a row per class, the same z down each column', () => {
    const nz = 2
    const fixed = Float32Array.from({ length: 10 * nz }, (_, i) => i)
    expect(progressGridShape(0, 64)).toEqual({ count: 64, perRow: 8 })
    expect(progressGridShape(3, 64)).toEqual({ count: 3 * GRID_IMAGES_PER_CLASS, perRow: GRID_IMAGES_PER_CLASS })
    expect(Array.from(progressGridLatents(fixed, nz, 0, 4))).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    const grid = progressGridLatents(fixed, nz, 3, 4)
    expect(grid).toHaveLength(3 * 8 * 5)
    const vector = (i: number) => Array.from(grid.subarray(i * 5, (i + 1) * 5))
    expect(vector(0)).toEqual([0, 1, 1, 0, 0])
    expect(vector(7)).toEqual([14, 15, 1, 0, 0])
    expect(vector(8)).toEqual([0, 1, 0, 1, 0])
    expect(vector(23)).toEqual([14, 15, 0, 0, 1])
    expect(Array.from(perClassLatents(fixed, nz, 2, 1))).toEqual([0, 1, 1, 0, 0, 1, 0, 1])
    expect(Array.from(latentsWithClasses(fixed, nz, 2, 3, (i) => i % 2))).toEqual([0, 1, 1, 0, 2, 3, 0, 1, 4, 5, 1, 0])
  })

  it('interpolate their class weights linearly whatever the mode: a mixture of the classes, z along its own path', () => {
    const a = [1, 0, 1, 0]
    const b = [0, 1, 0, 1]
    const mid = interpolate(a, b, 0.5, 'spherical', 2)
    expect(mid[0]).toBeCloseTo(Math.SQRT1_2, 6)
    expect(mid[1]).toBeCloseTo(Math.SQRT1_2, 6)
    expect(Array.from(mid.subarray(2))).toEqual([0.5, 0.5])
    // Slerp over the whole vector would not keep the weights summing to 1.
    expect(Array.from(interpolate(a, b, 0.5, 'spherical').subarray(2)).reduce((x, y) => x + y)).not.toBeCloseTo(1, 3)
    const frames = interpolationFrames(a, b, 5, 'spherical', 2)
    expect(frames.map((f) => f[2] + f[3])).toEqual([1, 1, 1, 1, 1])
    const path = keyframePath([a, b, [1, 0, 0.5, 0.5]], 4, 'spherical', { loop: false, pingPong: false }, 2)
    expect(path.every((f) => Math.abs(f[2] + f[3] - 1) < 1e-6)).toBe(true)
  })
})

describe('which data sets a conditional run can train on', () => {
  const classes = (names: string[], counts: number[], unlabeled = 0) => ({ names, counts, unlabeled, from: 'subfolders' as const })

  it('names the problem and the fix, in the words of where the user is', () => {
    expect(conditionalClassesProblem(classes(['cats', 'dogs'], [3, 4]), '/pets')).toBeNull()
    expect(conditionalClassesProblem(null, '/pets', { turnOff: 'untick “Conditional on classes”' })).toEqual({
      message: 'A conditional run needs classes, and /pets has no subfolders: its classes would be its first-level subfolders.',
      hint: 'To train a conditional GAN, sort the images into one subfolder per class (root/cats/x.png, root/dogs/y.png), or untick “Conditional on classes”.'
    })
    expect(conditionalClassesProblem(classes(['cats', 'dogs'], [3, 4], 2), '/pets')?.message).toBe(
      '2 images lie directly in /pets, outside every class subfolder: a conditional run cannot tell their class.'
    )
    expect(conditionalClassesProblem(classes(['cats', 'dogs', 'eels'], [3, 0, 0]), '/pets')?.message).toBe('2 classes have no usable image in /pets: dogs/; eels/.')
  })
})
