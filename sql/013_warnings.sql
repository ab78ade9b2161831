-- Warnings (issue #6): the daily digests sent, the officers who opted out of them, and the
-- indexes that keep the warnings' queries to the dossiers concerned (they run on every
-- inbox load). Each starts with the state and the time the kind is judged by (due, overdue:
-- due_at; stuck: updated_at, which every event of the history moves; not returned:
-- finished_at) and carries the holding and the receiving unit, so the counts per scope are
-- read from the index alone, whatever the number of dossiers finished long ago.

-- One row per officer and local day once that day's digest was decided: written in the
-- same transaction as the outbox e-mail, so a restarted worker never sends a day twice.
-- warnings = 0: the officer had nothing to be warned about that day (no e-mail).
CREATE TABLE IF NOT EXISTS warning_digests (
  officer_id  INT UNSIGNED NOT NULL,
  day         DATE NOT NULL,                      -- local date (Asia/Ho_Chi_Minh)
  warnings    INT UNSIGNED NOT NULL,
  decided_at  DATETIME(0) NOT NULL,
  PRIMARY KEY (officer_id, day),
  KEY k_warning_digests_day (day),
  CONSTRAINT fk_warning_digests_officer FOREIGN KEY (officer_id) REFERENCES officers (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- Officers who do not want the daily digest (the default is to receive it).
CREATE TABLE IF NOT EXISTS warning_digest_optout (
  officer_id  INT UNSIGNED NOT NULL PRIMARY KEY,
  since       DATETIME(0) NOT NULL,
  CONSTRAINT fk_warning_optout_officer FOREIGN KEY (officer_id) REFERENCES officers (id) ON DELETE CASCADE
) ENGINE=InnoDB;

ALTER TABLE dossiers
  ADD KEY IF NOT EXISTS k_dossiers_warn_due (state, due_at, current_unit_id, unit_id),
  ADD KEY IF NOT EXISTS k_dossiers_warn_updated (state, updated_at, current_unit_id, unit_id),
  ADD KEY IF NOT EXISTS k_dossiers_warn_finished (state, finished_at, current_unit_id, unit_id);
