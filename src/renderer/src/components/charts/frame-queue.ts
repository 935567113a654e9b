// One animation-frame queue for every chart on the page: each chart redraws at most once per frame, and a
// frame stops taking redraws once it has spent its budget, so three charts re-decimating a million points
// after the same append are spread over a few frames instead of making one long frame.

const FRAME_BUDGET_MS = 8

const queue = new Set<() => void>()
let frame = 0

/** Runs `job` in an upcoming animation frame (once, however often it is scheduled before then). */
export function scheduleFrame(job: () => void): void {
  queue.add(job)
  if (frame === 0) frame = requestAnimationFrame(flush)
}

export function cancelFrame(job: () => void): void {
  queue.delete(job)
}

function flush(): void {
  frame = 0
  const start = performance.now()
  for (const job of queue) {
    queue.delete(job)
    job()
    if (performance.now() - start > FRAME_BUDGET_MS) break
  }
  if (queue.size > 0 && frame === 0) frame = requestAnimationFrame(flush)
}
