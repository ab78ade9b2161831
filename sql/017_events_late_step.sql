-- Late steps flagged on their history event, so that late attribution
-- (GET /api/v1/reports/late, fcgi/store/indicators_store.c) reads only the late ones
-- through an index instead of the note of every forward of the period.
--
-- The flag is derived from the event the workflow writes (api/dossiers.c notes a step that
-- ends after its own due time as "Bước xử lý hoàn thành quá hạn"); a trigger sets it for
-- every writer (the API, the generator's LOAD DATA, the fixture), so no writer can forget
-- it. It is not part of the hash chain: the note it is derived from is.

ALTER TABLE dossier_events
  ADD COLUMN late_step TINYINT(1) NOT NULL DEFAULT 0;

UPDATE dossier_events SET late_step = 1
 WHERE action = 'forward' AND note LIKE '%hoàn thành quá hạn%';

CREATE TRIGGER dossier_events_late_step BEFORE INSERT ON dossier_events FOR EACH ROW
  SET NEW.late_step = (NEW.action = 'forward' AND NEW.note LIKE '%hoàn thành quá hạn%');

ALTER TABLE dossier_events
  ADD KEY k_events_late_step (late_step, at, action, step_seq, unit_id, dossier_id, seq);
