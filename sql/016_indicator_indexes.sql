-- Indexes of the Decision 766 indicators, the late attribution and the modernisation
-- reports (fcgi/store/indicators_store.c), so that each reads the dossiers and events of
-- its period only, not every dossier or every event ever recorded. The on-time rate and
-- the online share come from the statistics tables (sql/012_stats.sql) instead.
-- Each dossiers index starts with the receiving unit (a report ranges over the units of a
-- subtree, so a commune's report reads the commune's rows only), then the time the figure
-- is judged by, then the columns the figure reads, so the count is read from the index.

ALTER TABLE dossiers
  -- finished in the period (results issued, late dossiers, digitization): state, finish,
  -- and what "counted" and "in time" read
  ADD KEY IF NOT EXISTS k_dossiers_ind_finished (unit_id, state, finished_at, received_at, due_at),
  -- received in the period (digitization, postal receptions) and arrived in the period
  -- without an online submission (online submissions per procedure)
  ADD KEY IF NOT EXISTS k_dossiers_ind_received (unit_id, received_at, state, channel, submitted_at, procedure_id),
  -- submitted online in the period (procedures used online, submissions per procedure)
  ADD KEY IF NOT EXISTS k_dossiers_ind_submitted (unit_id, submitted_at, channel, procedure_id),
  -- results returned by post in the period
  ADD KEY IF NOT EXISTS k_dossiers_ind_returned (unit_id, result_channel, state, returned_at);

-- Events by action and time: the payments of the period, and the forwards and resolutions
-- the late attribution judges (their step and unit read from the index); and the due time
-- a step was given when it began, found for each of those with one look into the index.
ALTER TABLE dossier_events
  ADD KEY IF NOT EXISTS k_events_action_at (action, at, step_seq, unit_id, dossier_id, seq),
  ADD KEY IF NOT EXISTS k_events_step_due (dossier_id, step_seq, seq, due_at);

-- Whether every document of a dossier is a file, without reading the documents' names.
ALTER TABLE dossier_documents
  ADD KEY IF NOT EXISTS k_ddoc_digitized (dossier_id, paper_only, file_sha256);

-- Signed and sealed revisions made in the period.
ALTER TABLE dossier_results
  ADD KEY IF NOT EXISTS k_dossier_results_made (created_at, stage, dossier_id);
