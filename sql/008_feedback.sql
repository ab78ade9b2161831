-- Satisfaction ratings of returned dossiers, and feedback (phản ánh, kiến nghị).

-- One rating per returned dossier; each criterion very_satisfied | satisfied | not_satisfied.
CREATE TABLE dossier_ratings (
  dossier_id   BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  unit_id      INT UNSIGNED NOT NULL,             -- the receiving unit, for the statistics
  overall      ENUM('very_satisfied','satisfied','not_satisfied') NOT NULL,
  ease         ENUM('very_satisfied','satisfied','not_satisfied') NOT NULL,
  time_taken   ENUM('very_satisfied','satisfied','not_satisfied') NOT NULL,
  attitude     ENUM('very_satisfied','satisfied','not_satisfied') NOT NULL,
  visits       ENUM('very_satisfied','satisfied','not_satisfied') NOT NULL,
  comment      VARCHAR(2000) NOT NULL DEFAULT '',
  rated_at     DATETIME(0) NOT NULL,
  KEY k_ratings_unit_time (unit_id, rated_at),
  CONSTRAINT fk_ratings_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id) ON DELETE CASCADE,
  CONSTRAINT fk_ratings_unit FOREIGN KEY (unit_id) REFERENCES units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE feedback (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code          VARCHAR(24)  NOT NULL,            -- PAKN-YYMMDD-NNNN
  kind          ENUM('procedure','dossier','officer','other') NOT NULL,
  procedure_id  INT UNSIGNED NULL,
  dossier_id    BIGINT UNSIGNED NULL,
  officer_name  VARCHAR(255) NOT NULL DEFAULT '',
  unit_id       INT UNSIGNED NOT NULL,            -- handling unit
  content       TEXT NOT NULL,
  sender_name   VARCHAR(255) NOT NULL,
  sender_email  VARCHAR(255) NOT NULL DEFAULT '',
  sender_phone  VARCHAR(32)  NOT NULL DEFAULT '',
  secret_salt   BINARY(16)   NOT NULL,            -- sender's secret: SHA-256(salt || secret)
  secret_hash   BINARY(32)   NOT NULL,
  received_at   DATETIME(0)  NOT NULL,
  due_at        DATETIME(0)  NOT NULL,            -- 10 working days by the calendar
  answer        TEXT NULL,
  answered_at   DATETIME(0)  NULL,
  answered_by   INT UNSIGNED NULL,
  answered_on_time TINYINT(1) NULL,               -- answered_at <= due_at (the 766 index)
  published     TINYINT(1)   NOT NULL DEFAULT 0,
  UNIQUE KEY uk_feedback_code (code),
  KEY k_feedback_unit_due (unit_id, answered_at, due_at),
  KEY k_feedback_published (published, answered_at),
  CONSTRAINT fk_feedback_unit FOREIGN KEY (unit_id) REFERENCES units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE feedback_code_counters (
  day      DATE NOT NULL PRIMARY KEY,             -- local date (Asia/Ho_Chi_Minh)
  last_seq INT UNSIGNED NOT NULL
) ENGINE=InnoDB;
