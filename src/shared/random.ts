// Seeded pseudo-random numbers (sfc32) with a state that can be saved in a checkpoint and restored.
// Everything random in a run (weights, noise, data order) comes from one of these, seeded from the run's
// seed, because TF.js initializers ignore seeds and Math.random cannot be replayed.

/** The whole state of a Random: four 32-bit words and a cached second normal deviate. */
export interface RandomState {
  words: [number, number, number, number]
  spareNormal: number | null
}

export class Random {
  private a: number
  private b: number
  private c: number
  private d: number
  private spareNormal: number | null = null

  /** Seeds from any integer (or a seed plus a stream name, so that several generators of one run differ). */
  constructor(seed: number, stream = '') {
    let h = splitmix32((seed >>> 0) ^ hashString(stream))
    this.a = h()
    this.b = h()
    this.c = h()
    this.d = h()
    // sfc32 needs a few rounds to mix a weak seed.
    for (let i = 0; i < 12; i++) this.nextUint32()
  }

  static fromState(state: RandomState): Random {
    const r = new Random(0)
    r.setState(state)
    return r
  }

  getState(): RandomState {
    return { words: [this.a, this.b, this.c, this.d], spareNormal: this.spareNormal }
  }

  setState(state: RandomState): void {
    ;[this.a, this.b, this.c, this.d] = state.words.map((w) => w >>> 0) as RandomState['words']
    this.spareNormal = state.spareNormal
  }

  nextUint32(): number {
    this.a >>>= 0
    this.b >>>= 0
    this.c >>>= 0
    this.d >>>= 0
    let t = (this.a + this.b) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.d = (this.d + 1) | 0
    t = (t + this.d) | 0
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n)
  }

  /** Standard normal deviate (Box-Muller, both deviates used). */
  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal
      this.spareNormal = null
      return s
    }
    let u = 0
    while (u === 0) u = this.uniform()
    const v = this.uniform()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spareNormal = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }

  /** A Float32Array of n normal deviates with the given mean and standard deviation. */
  normalArray(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n)
    for (let i = 0; i < n; i++) out[i] = mean + std * this.normal()
    return out
  }

  /** Fisher-Yates shuffle of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n)
    for (let i = 0; i < n; i++) p[i] = i
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = p[i]
      p[i] = p[j]
      p[j] = t
    }
    return p
  }
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) | 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

function hashString(text: string): number {
  // FNV-1a: enough to separate named streams of one seed.
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}
