-- Statistics (Biểu số 06): per-dossier facts, day and month aggregates that a report sums
-- instead of scanning dossiers, the queue that keeps them exact, and closed months.
-- domain/stats.h defines the facts and flows; store/stats_store.c keeps these tables.
-- Days are local calendar days (Asia/Ho_Chi_Minh); months are their first day.

-- What each dossier was last counted as (domain/stats.h struct stats_facts). A change
-- subtracts these flows and adds the new ones.
CREATE TABLE stats_facts (
  dossier_id   BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  unit_id      INT UNSIGNED NOT NULL,              -- receiving unit
  field_id     INT UNSIGNED NOT NULL,
  procedure_id INT UNSIGNED NOT NULL,
  counted      TINYINT(1) NOT NULL,
  online       TINYINT(1) NOT NULL,
  recv_day     DATE NULL,
  fin_day      DATE NULL,                          -- NULL while open
  finish       TINYINT UNSIGNED NOT NULL,          -- 0 open, 1 before, 2 on time, 3 late
  overdue_day  DATE NULL,                          -- first day counted overdue if open; NULL never
  KEY k_sfacts_recv (counted, recv_day),
  KEY k_sfacts_fin (counted, fin_day)
) ENGINE=InnoDB;

-- Flows per local day, receiving unit, field and procedure: receptions by channel,
-- finishes by class, and the changes of the open and overdue balances (domain/stats.h
-- enum stats_flow_col). Overdue starts of open dossiers may lie in the future.
CREATE TABLE stats_day (
  day          DATE NOT NULL,
  unit_id      INT UNSIGNED NOT NULL,
  field_id     INT UNSIGNED NOT NULL,
  procedure_id INT UNSIGNED NOT NULL,
  rec_online   INT NOT NULL DEFAULT 0,
  rec_direct_postal INT NOT NULL DEFAULT 0,
  fin_before   INT NOT NULL DEFAULT 0,
  fin_on_time  INT NOT NULL DEFAULT 0,
  fin_late     INT NOT NULL DEFAULT 0,
  d_open       INT NOT NULL DEFAULT 0,
  d_overdue    INT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, unit_id, field_id, procedure_id),
  KEY k_sday_procedure (procedure_id, day)
) ENGINE=InnoDB;

-- Whole months up to stats_meta.horizon (the last complete month): the month's flows per
-- unit and field, and the open and overdue balances at its end. A missing row is all zero.
CREATE TABLE stats_month (
  month        DATE NOT NULL,
  unit_id      INT UNSIGNED NOT NULL,
  field_id     INT UNSIGNED NOT NULL,
  rec_online   INT NOT NULL DEFAULT 0,
  rec_direct_postal INT NOT NULL DEFAULT 0,
  fin_before   INT NOT NULL DEFAULT 0,
  fin_on_time  INT NOT NULL DEFAULT 0,
  fin_late     INT NOT NULL DEFAULT 0,
  open_eom     INT NOT NULL DEFAULT 0,
  overdue_eom  INT NOT NULL DEFAULT 0,
  PRIMARY KEY (month, unit_id, field_id)
) ENGINE=InnoDB;

CREATE TABLE stats_meta (
  id           TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  horizon      DATE NULL,                          -- stats_month is complete up to this month
  rebuilt_at   DATETIME(0) NULL
) ENGINE=InnoDB;
INSERT INTO stats_meta (id, horizon, rebuilt_at) VALUES (1, NULL, NULL);

-- Dossiers changed since their facts were counted. Filled by the triggers below, so no
-- writer of dossiers (the service, the worker, the generator) can forget it; drained by
-- every report before it answers and by the worker.
CREATE TABLE stats_dirty (
  dossier_id   BIGINT UNSIGNED NOT NULL PRIMARY KEY
) ENGINE=InnoDB;

CREATE TRIGGER stats_dossier_insert AFTER INSERT ON dossiers FOR EACH ROW
  INSERT IGNORE INTO stats_dirty (dossier_id) VALUES (NEW.id);
CREATE TRIGGER stats_dossier_update AFTER UPDATE ON dossiers FOR EACH ROW
  INSERT IGNORE INTO stats_dirty (dossier_id) VALUES (NEW.id);

-- Every change of a dossier's facts (old and new), for explaining a closed month's
-- recompute: which dossiers moved which cell after the month was closed.
CREATE TABLE stats_changes (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dossier_id   BIGINT UNSIGNED NOT NULL,
  at           DATETIME(0) NOT NULL,
  old_counted  TINYINT(1) NOT NULL, old_online TINYINT(1) NOT NULL, old_recv DATE NULL,
  old_fin DATE NULL, old_finish TINYINT UNSIGNED NOT NULL, old_overdue DATE NULL,
  new_counted  TINYINT(1) NOT NULL, new_online TINYINT(1) NOT NULL, new_recv DATE NULL,
  new_fin DATE NULL, new_finish TINYINT UNSIGNED NOT NULL, new_overdue DATE NULL,
  KEY k_schanges_at (at)
) ENGINE=InnoDB;

-- Closed months: their figures are stored when they close and answer from then on.
CREATE TABLE stats_closed_months (
  month        DATE NOT NULL PRIMARY KEY,
  closed_at    DATETIME(0) NOT NULL,
  closed_by    VARCHAR(64) NOT NULL               -- officer username, or 'system'
) ENGINE=InnoDB;

CREATE TABLE stats_frozen (
  month        DATE NOT NULL,
  unit_id      INT UNSIGNED NOT NULL,
  field_id     INT UNSIGNED NOT NULL,
  carried_over INT NOT NULL, online INT NOT NULL, direct_postal INT NOT NULL,
  before_due   INT NOT NULL, on_time INT NOT NULL, late INT NOT NULL,
  within_due   INT NOT NULL, overdue INT NOT NULL,
  PRIMARY KEY (month, unit_id, field_id)
) ENGINE=InnoDB;
