// Dense linear algebra the latent directions and the nearest-image index need, in float64: the eigenvectors
// of a symmetric matrix (Householder tridiagonalization, then the implicit QL algorithm: tred2 and tql2 of
// EISPACK, as JAMA writes them), Gram-Schmidt and a small symmetric solve. Matrices are row-major arrays.

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array
  /** Unit eigenvectors as rows, in the order of `values`: row i is vectors[i * n .. (i + 1) * n). */
  vectors: Float64Array
}

/** Every eigenvalue and eigenvector of the symmetric n x n matrix `a` (only its lower triangle is read). */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  if (!Number.isInteger(n) || n < 1 || a.length !== n * n) throw new Error(`expected a ${n} x ${n} matrix, got ${a.length} values`)
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new Error('the matrix holds a value that is not a finite number (NaN or infinity in the weights?)')
  }
  // v[i][j] as v[i * n + j]; symmetrize from the lower triangle.
  const v = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) v[i * n + j] = v[j * n + i] = a[i * n + j]
  }
  const d = new Float64Array(n)
  const e = new Float64Array(n)
  tridiagonalize(v, d, e, n)
  diagonalize(v, d, e, n)
  // tql2 sorts ascending with the eigenvectors as columns: return largest first, as rows.
  const values = new Float64Array(n)
  const vectors = new Float64Array(n * n)
  for (let r = 0; r < n; r++) {
    const c = n - 1 - r
    values[r] = d[c]
    for (let k = 0; k < n; k++) vectors[r * n + k] = v[k * n + c]
  }
  return { values, vectors }
}

/** Householder reduction to tridiagonal form (EISPACK tred2): d the diagonal, e the subdiagonal, v the transform. */
function tridiagonalize(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j]
  for (let i = n - 1; i > 0; i--) {
    let scale = 0
    let h = 0
    for (let k = 0; k < i; k++) scale += Math.abs(d[k])
    if (scale === 0) {
      e[i] = d[i - 1]
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j]
        v[i * n + j] = 0
        v[j * n + i] = 0
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale
        h += d[k] * d[k]
      }
      let f = d[i - 1]
      let g = Math.sqrt(h)
      if (f > 0) g = -g
      e[i] = scale * g
      h -= f * g
      d[i - 1] = f - g
      for (let j = 0; j < i; j++) e[j] = 0
      for (let j = 0; j < i; j++) {
        f = d[j]
        v[j * n + i] = f
        g = e[j] + v[j * n + j] * f
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k * n + j] * d[k]
          e[k] += v[k * n + j] * f
        }
        e[j] = g
      }
      f = 0
      for (let j = 0; j < i; j++) {
        e[j] /= h
        f += e[j] * d[j]
      }
      const hh = f / (h + h)
      for (let j = 0; j < i; j++) e[j] -= hh * d[j]
      for (let j = 0; j < i; j++) {
        f = d[j]
        g = e[j]
        for (let k = j; k <= i - 1; k++) v[k * n + j] -= f * e[k] + g * d[k]
        d[j] = v[(i - 1) * n + j]
        v[i * n + j] = 0
      }
    }
    d[i] = h
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i]
    v[i * n + i] = 1
    const h = d[i + 1]
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1] / h
      for (let j = 0; j <= i; j++) {
        let g = 0
        for (let k = 0; k <= i; k++) g += v[k * n + i + 1] * v[k * n + j]
        for (let k = 0; k <= i; k++) v[k * n + j] -= g * d[k]
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j]
    v[(n - 1) * n + j] = 0
  }
  v[(n - 1) * n + n - 1] = 1
  e[0] = 0
}

/** The symmetric tridiagonal QL algorithm with implicit shifts (EISPACK tql2); eigenvalues ascending. */
function diagonalize(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]
  e[n - 1] = 0
  let f = 0
  let tst1 = 0
  const eps = 2 ** -52
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]))
    let m = l
    while (m < n && Math.abs(e[m]) > eps * tst1) m++
    if (m > l) {
      // Converges in 2 or 3 iterations per eigenvalue; the cap only guards against a pathological input.
      for (let iteration = 0; Math.abs(e[l]) > eps * tst1; iteration++) {
        if (iteration === 100) throw new Error('the eigenvalue computation did not converge')
        let g = d[l]
        let p = (d[l + 1] - g) / (2 * e[l])
        let r = Math.hypot(p, 1)
        if (p < 0) r = -r
        d[l] = e[l] / (p + r)
        d[l + 1] = e[l] * (p + r)
        const dl1 = d[l + 1]
        let h = g - d[l]
        for (let i = l + 2; i < n; i++) d[i] -= h
        f += h
        p = d[m]
        let c = 1
        let c2 = c
        let c3 = c
        const el1 = e[l + 1]
        let s = 0
        let s2 = 0
        for (let i = m - 1; i >= l; i--) {
          c3 = c2
          c2 = c
          s2 = s
          g = c * e[i]
          h = c * p
          r = Math.hypot(p, e[i])
          e[i + 1] = s * r
          s = e[i] / r
          c = p / r
          p = c * d[i] - s * g
          d[i + 1] = h + s * (c * g + s * d[i])
          for (let k = 0; k < n; k++) {
            h = v[k * n + i + 1]
            v[k * n + i + 1] = s * v[k * n + i] + c * h
            v[k * n + i] = c * v[k * n + i] - s * h
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1
        e[l] = s * p
        d[l] = c * p
      }
    }
    d[l] += f
    e[l] = 0
  }
  // Sort ascending, eigenvectors (columns) along.
  for (let i = 0; i < n - 1; i++) {
    let k = i
    let p = d[i]
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j
        p = d[j]
      }
    }
    if (k !== i) {
      d[k] = d[i]
      d[i] = p
      for (let j = 0; j < n; j++) {
        const t = v[j * n + i]
        v[j * n + i] = v[j * n + k]
        v[j * n + k] = t
      }
    }
  }
}

/**
 * Orthonormalizes the `rows` rows (each `n` long) of `m` in place by modified Gram-Schmidt, twice (once is
 * not enough in floating point when the rows are nearly dependent). A row that is dependent on the ones
 * before it is replaced by zeros; returns how many rows are independent.
 */
export function orthonormalizeRows(m: Float64Array, rows: number, n: number): number {
  let rank = 0
  for (let i = 0; i < rows; i++) {
    const row = m.subarray(i * n, (i + 1) * n)
    const before = norm(row)
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        const other = m.subarray(j * n, (j + 1) * n)
        const dot = dotProduct(row, other)
        for (let k = 0; k < n; k++) row[k] -= dot * other[k]
      }
    }
    const after = norm(row)
    if (after <= 1e-10 * Math.max(before, 1e-300)) {
      row.fill(0)
      continue
    }
    for (let k = 0; k < n; k++) row[k] /= after
    rank++
  }
  return rank
}

export function dotProduct(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i]
  return sum
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dotProduct(a, a))
}

/**
 * Flips a vector's sign so that its largest entry (by magnitude) is positive, since eigenvectors come with
 * either sign; returns whether it flipped.
 */
export function canonicalSign(vector: Float64Array): boolean {
  let largest = 0
  for (let i = 1; i < vector.length; i++) if (Math.abs(vector[i]) > Math.abs(vector[largest])) largest = i
  if (vector[largest] >= 0) return false
  for (let i = 0; i < vector.length; i++) vector[i] = -vector[i]
  return true
}

/**
 * x solving a x = b for a symmetric positive definite n x n matrix and `columns` right-hand sides (b is
 * n x columns, row-major), by Cholesky decomposition.
 */
export function solveSymmetricPositive(a: ArrayLike<number>, n: number, b: ArrayLike<number>, columns: number): Float64Array {
  const l = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k]
      if (i === j) {
        if (!(sum > 0)) throw new Error('the matrix is not positive definite')
        l[i * n + i] = Math.sqrt(sum)
      } else l[i * n + j] = sum / l[j * n + j]
    }
  }
  const x = Float64Array.from(b)
  for (let c = 0; c < columns; c++) {
    for (let i = 0; i < n; i++) {
      let sum = x[i * columns + c]
      for (let k = 0; k < i; k++) sum -= l[i * n + k] * x[k * columns + c]
      x[i * columns + c] = sum / l[i * n + i]
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = x[i * columns + c]
      for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k * columns + c]
      x[i * columns + c] = sum / l[i * n + i]
    }
  }
  return x
}
