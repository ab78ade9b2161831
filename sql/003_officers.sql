-- Officers, their sessions, the working calendar, and what the dossier workflow records
-- beside the history: pauses, step assignments, supplement requests, apology letters.

CREATE TABLE officers (
  id              INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username        VARCHAR(64)  NOT NULL,
  full_name       VARCHAR(255) NOT NULL,
  unit_id         INT UNSIGNED NOT NULL,
  roles           SET('desk','specialist','leader','clerk','admin','monitor') NOT NULL,
  email           VARCHAR(255) NOT NULL DEFAULT '',
  phone           VARCHAR(32)  NOT NULL DEFAULT '',
  password_hash   VARCHAR(255) NOT NULL,          -- argon2id encoded string
  active          TINYINT(1)   NOT NULL DEFAULT 1,
  failed_logins   INT UNSIGNED NOT NULL DEFAULT 0,
  locked_until    DATETIME(0)  NULL,
  last_login_at   DATETIME(0)  NULL,
  created_at      DATETIME(0)  NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at      DATETIME(0)  NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uk_officers_username (username),
  KEY k_officers_unit (unit_id),
  CONSTRAINT fk_officers_unit FOREIGN KEY (unit_id) REFERENCES units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Sessions: the cookie holds a random 256-bit token; only its SHA-256 is stored.
CREATE TABLE officer_sessions (
  token_hash   BINARY(32)   NOT NULL PRIMARY KEY,
  officer_id   INT UNSIGNED NOT NULL,
  csrf_token   CHAR(43)     NOT NULL,             -- base64url of 32 random bytes
  created_at   DATETIME(0)  NOT NULL,
  expires_at   DATETIME(0)  NOT NULL,
  last_seen_at DATETIME(0)  NOT NULL,
  KEY k_sessions_officer (officer_id),
  KEY k_sessions_expires (expires_at),
  CONSTRAINT fk_sessions_officer FOREIGN KEY (officer_id) REFERENCES officers (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- The working calendar: special days (holidays, make-up working days) and the working
-- sessions per weekday (0 = Sunday). An empty work_sessions table means the default
-- Monday–Friday 07:30–11:30, 13:00–17:00.
CREATE TABLE calendar_days (
  day        DATE NOT NULL PRIMARY KEY,
  kind       ENUM('holiday','makeup_workday') NOT NULL,
  name       VARCHAR(127) NOT NULL,
  updated_by INT UNSIGNED NULL,
  updated_at DATETIME(0) NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE work_sessions (
  weekday   TINYINT UNSIGNED NOT NULL,
  seq       TINYINT UNSIGNED NOT NULL,
  start_min SMALLINT UNSIGNED NOT NULL,
  end_min   SMALLINT UNSIGNED NOT NULL,
  PRIMARY KEY (weekday, seq)
) ENGINE=InnoDB;

-- A change of calendar asks for the open dossiers' due dates to be recomputed; the
-- worker takes the oldest pending job.
CREATE TABLE calendar_jobs (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  reason      VARCHAR(255) NOT NULL,
  created_at  DATETIME(0) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  started_at  DATETIME(0) NULL,
  finished_at DATETIME(0) NULL,
  changed     INT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Paused intervals (awaiting_supplement, awaiting_payment, suspended): the clock stops.
CREATE TABLE dossier_pauses (
  dossier_id  BIGINT UNSIGNED NOT NULL,
  seq         SMALLINT UNSIGNED NOT NULL,
  state       VARCHAR(24) NOT NULL,
  from_at     DATETIME(0) NOT NULL,
  to_at       DATETIME(0) NULL,                   -- NULL while still paused
  PRIMARY KEY (dossier_id, seq),
  CONSTRAINT fk_pauses_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id) ON DELETE CASCADE
) ENGINE=InnoDB;

ALTER TABLE dossiers
  ADD COLUMN assignee_id     INT UNSIGNED NULL AFTER current_unit_id,
  ADD COLUMN step_due_at     DATETIME(0)  NULL AFTER assignee_id,
  ADD COLUMN step_started_at DATETIME(0)  NULL AFTER step_due_at,
  ADD COLUMN paused_from_state VARCHAR(24) NOT NULL DEFAULT '' AFTER step_started_at,
  ADD COLUMN received_by     INT UNSIGNED NULL AFTER paused_from_state,
  ADD COLUMN refusal_reason  TEXT NULL,
  ADD KEY k_dossiers_current_unit (current_unit_id, state),
  ADD KEY k_dossiers_assignee (assignee_id, state);

-- Supplement requests (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ): every missing item at
-- once, as one request.
CREATE TABLE supplement_requests (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dossier_id   BIGINT UNSIGNED NOT NULL,
  items        TEXT NOT NULL,                     -- JSON array of strings
  note         TEXT NOT NULL,
  requested_by INT UNSIGNED NOT NULL,
  requested_at DATETIME(0) NOT NULL,
  fulfilled_at DATETIME(0) NULL,
  KEY k_supp_dossier (dossier_id),
  CONSTRAINT fk_supp_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Apology letters (Phiếu xin lỗi và hẹn lại ngày trả kết quả): drafted with a proposed
-- date, approved by a leader; statistics still judge against the original due date.
CREATE TABLE apology_letters (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dossier_id    BIGINT UNSIGNED NOT NULL,
  proposed_date DATETIME(0) NOT NULL,
  reason        TEXT NOT NULL,
  drafted_by    INT UNSIGNED NULL,                -- NULL: drafted by the system
  drafted_at    DATETIME(0) NOT NULL,
  approved_by   INT UNSIGNED NULL,
  approved_at   DATETIME(0) NULL,
  KEY k_apology_dossier (dossier_id),
  CONSTRAINT fk_apology_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
