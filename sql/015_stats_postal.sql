-- Statistics (sql/012_stats.sql): postal receptions in the aggregates, so the dashboard
-- splits Form 06's "direct or postal" into its two parts from the day and month totals
-- instead of counting postal dossiers (issue #6 "Speed").
-- stats_facts.postal: the dossier was received by post (a counted dossier is online,
-- postal, or neither: direct). rec_postal: of rec_direct_postal, how many came by post
-- (domain/stats.h SF_REC_POSTAL); Form 06 itself keeps the two together.

ALTER TABLE stats_facts ADD COLUMN IF NOT EXISTS postal TINYINT(1) NOT NULL DEFAULT 0 AFTER online;
ALTER TABLE stats_day ADD COLUMN IF NOT EXISTS rec_postal INT NOT NULL DEFAULT 0 AFTER rec_direct_postal;
ALTER TABLE stats_month ADD COLUMN IF NOT EXISTS rec_postal INT NOT NULL DEFAULT 0 AFTER rec_direct_postal;

-- Fill them consistently with what is counted now: each fact's postal from its dossier's
-- channel, then the day and month columns from those facts (the rows exist already: the
-- same receptions are in rec_direct_postal). A dossier still queued in stats_dirty is
-- recounted later against these very facts, so the tables stay exact without a rebuild.
UPDATE stats_facts f JOIN dossiers d ON d.id = f.dossier_id
  SET f.postal = 1
  WHERE f.counted = 1 AND f.online = 0 AND d.channel = 'postal';

UPDATE stats_day s JOIN (
    SELECT recv_day, unit_id, field_id, procedure_id, COUNT(*) AS n FROM stats_facts
    WHERE counted = 1 AND postal = 1
    GROUP BY recv_day, unit_id, field_id, procedure_id) x
  ON s.day = x.recv_day AND s.unit_id = x.unit_id AND s.field_id = x.field_id
     AND s.procedure_id = x.procedure_id
  SET s.rec_postal = x.n;

-- stats_month holds whole months up to stats_meta.horizon only
UPDATE stats_month s JOIN (
    SELECT f.recv_day - INTERVAL (DAYOFMONTH(f.recv_day) - 1) DAY AS month, f.unit_id, f.field_id,
           COUNT(*) AS n
    FROM stats_facts f JOIN stats_meta m ON m.id = 1
    WHERE f.counted = 1 AND f.postal = 1 AND f.recv_day <= LAST_DAY(m.horizon)
    GROUP BY month, f.unit_id, f.field_id) x
  ON s.month = x.month AND s.unit_id = x.unit_id AND s.field_id = x.field_id
  SET s.rec_postal = x.n;
