-- Statistics (sql/012_stats.sql): the finishes of whole months per receiving unit and
-- procedure, so that the dashboard's "procedures most often late" sums a few thousand
-- month rows instead of every day row of the period (about 450,000 for a year at a
-- million dossiers; bench/reports.sh).
-- Kept like stats_month: whole months up to stats_meta.horizon, moved by the recount path
-- (store/stats_store.c apply_deltas), by the horizon's advance and by stats-rebuild. Only
-- flows, no balances: a missing row is all zero.

CREATE TABLE stats_month_procedure (
  month        DATE NOT NULL,
  unit_id      INT UNSIGNED NOT NULL,
  procedure_id INT UNSIGNED NOT NULL,
  fin_before   INT NOT NULL DEFAULT 0,
  fin_on_time  INT NOT NULL DEFAULT 0,
  fin_late     INT NOT NULL DEFAULT 0,
  PRIMARY KEY (month, unit_id, procedure_id)
) ENGINE=InnoDB;

-- Filled from the day rows of the months stats_month holds; a dossier still queued in
-- stats_dirty is recounted later against these very rows, so no rebuild is needed.
INSERT INTO stats_month_procedure (month, unit_id, procedure_id, fin_before, fin_on_time, fin_late)
  SELECT s.day - INTERVAL (DAYOFMONTH(s.day) - 1) DAY AS month, s.unit_id, s.procedure_id,
         SUM(s.fin_before), SUM(s.fin_on_time), SUM(s.fin_late)
  FROM stats_day s JOIN stats_meta m ON m.id = 1
  WHERE s.day <= LAST_DAY(m.horizon)
  GROUP BY month, s.unit_id, s.procedure_id
  HAVING SUM(s.fin_before) <> 0 OR SUM(s.fin_on_time) <> 0 OR SUM(s.fin_late) <> 0;
