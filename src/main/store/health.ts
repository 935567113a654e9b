// A run's training health alerts: one row per problem and the stretch of iterations it covered.
import type { HealthAlert, HealthKind } from '../../shared/health'
import type { Db } from './database'

/** Records an alert, or its new end (an alert is known by its run, kind and first iteration). */
export function saveHealthAlert(db: Db, runId: number, alert: HealthAlert): void {
  db.prepare('INSERT OR REPLACE INTO health_alerts (run_id, kind, start_iteration, end_iteration, detail) VALUES (?, ?, ?, ?, ?)').run(
    runId,
    alert.kind,
    alert.startIteration,
    alert.endIteration,
    alert.detail
  )
}

/** Every alert of a run, in the order they started. */
export function readHealthAlerts(db: Db, runId: number): HealthAlert[] {
  const rows = db
    .prepare('SELECT kind, start_iteration, end_iteration, detail FROM health_alerts WHERE run_id = ? ORDER BY start_iteration, kind')
    .raw(true)
    .all(runId) as [HealthKind, number, number | null, string][]
  return rows.map(([kind, startIteration, endIteration, detail]) => ({ kind, startIteration, endIteration, detail }))
}

/**
 * Replaces the alerts a resumed run recomputes from its figures (every kind but `kept`): the iterations after
 * its checkpoint are redone, and what they showed is found again, or not.
 */
export function replaceHealthAlerts(db: Db, runId: number, alerts: HealthAlert[], kept: HealthKind[]): void {
  db.transaction(() => {
    db.prepare(`DELETE FROM health_alerts WHERE run_id = ? AND kind NOT IN (${kept.map(() => '?').join(', ') || "''"})`).run(runId, ...kept)
    for (const alert of alerts) saveHealthAlert(db, runId, alert)
  })()
}
