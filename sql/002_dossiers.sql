-- Dossiers (hồ sơ), their documents and their history.
-- Times are stored in UTC (DATETIME without zone); the API converts to +07:00.

CREATE TABLE dossiers (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code            VARCHAR(48)  NOT NULL,          -- {unit code}-{YYMMDD}-{NNNN}
  procedure_id    INT UNSIGNED NOT NULL,
  field_id        INT UNSIGNED NOT NULL,          -- copied from the procedure at reception: statistics group by it
  unit_id         INT UNSIGNED NOT NULL,          -- receiving unit
  channel         ENUM('direct','online','postal') NOT NULL,
  result_channel  ENUM('direct','online','postal') NOT NULL,
  state           ENUM('submitted','processing','awaiting_supplement','awaiting_payment',
                       'suspended','resolved','returned','refused','withdrawn','not_accepted') NOT NULL,
  case_name       VARCHAR(1000) NOT NULL DEFAULT '',
  applicant_name  VARCHAR(255) NOT NULL,
  applicant_kind  ENUM('citizen','organization') NOT NULL DEFAULT 'citizen',
  applicant_id_number VARCHAR(32) NOT NULL DEFAULT '',  -- CCCD / tax code
  applicant_phone VARCHAR(32)  NOT NULL DEFAULT '',
  applicant_email VARCHAR(255) NOT NULL DEFAULT '',
  applicant_address VARCHAR(500) NOT NULL DEFAULT '',
  pin_salt        BINARY(16)   NOT NULL,          -- receipt secret: SHA-256(salt || pin)
  pin_hash        BINARY(32)   NOT NULL,
  waybill_in      VARCHAR(64)  NOT NULL DEFAULT '', -- postal (BCCI) waybill of the submission
  waybill_out     VARCHAR(64)  NOT NULL DEFAULT '', -- postal waybill of the result
  submitted_at    DATETIME(0)  NULL,              -- online submission time
  received_at     DATETIME(0)  NULL,              -- reception: the clock starts here
  due_at          DATETIME(0)  NULL,              -- statutory due time (moves only with pauses/calendar)
  promised_at     DATETIME(0)  NULL,              -- new date from an approved apology letter
  finished_at     DATETIME(0)  NULL,              -- resolved / refused / withdrawn / not accepted
  returned_at     DATETIME(0)  NULL,
  current_step    SMALLINT UNSIGNED NULL,         -- seq in procedure_process_steps
  current_unit_id INT UNSIGNED NULL,              -- unit holding the dossier now
  result_ready    TINYINT(1)   NOT NULL DEFAULT 0,
  version         INT UNSIGNED NOT NULL DEFAULT 1,
  created_at      DATETIME(0)  NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at      DATETIME(0)  NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uk_dossiers_code (code),
  KEY k_dossiers_unit_received (unit_id, received_at),
  KEY k_dossiers_state_due (state, due_at),
  KEY k_dossiers_procedure (procedure_id),
  CONSTRAINT fk_dossiers_procedure FOREIGN KEY (procedure_id) REFERENCES procedures (id),
  CONSTRAINT fk_dossiers_field FOREIGN KEY (field_id) REFERENCES fields (id),
  CONSTRAINT fk_dossiers_unit FOREIGN KEY (unit_id) REFERENCES units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The documents of a dossier, against the procedure's list. paper_only marks a document
-- held on paper and not (yet) digitized.
CREATE TABLE dossier_documents (
  dossier_id   BIGINT UNSIGNED NOT NULL,
  seq          SMALLINT UNSIGNED NOT NULL,
  name         VARCHAR(2000) NOT NULL,
  originals    SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  copies       SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  file_sha256  BINARY(32) NULL,
  paper_only   TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (dossier_id, seq),
  CONSTRAINT fk_ddoc_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- History: one row per change, hash-chained per dossier
-- (hash = SHA-256 over prev_hash and the row's canonical text).
CREATE TABLE dossier_events (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dossier_id  BIGINT UNSIGNED NOT NULL,
  seq         INT UNSIGNED NOT NULL,
  at          DATETIME(0) NOT NULL,
  action      VARCHAR(32) NOT NULL,               -- submit, receive, forward, resolve, return ...
  from_state  VARCHAR(24) NOT NULL DEFAULT '',
  to_state    VARCHAR(24) NOT NULL,
  unit_id     INT UNSIGNED NOT NULL,              -- unit where it happened
  step_seq    SMALLINT UNSIGNED NULL,
  step_name   VARCHAR(500) NOT NULL DEFAULT '',
  actor       VARCHAR(255) NOT NULL DEFAULT '',   -- officer account, or 'applicant' / 'system'
  note        TEXT NOT NULL,
  due_at      DATETIME(0) NULL,                   -- the step's own due time
  prev_hash   BINARY(32) NOT NULL,
  hash        BINARY(32) NOT NULL,
  UNIQUE KEY uk_events_dossier_seq (dossier_id, seq),
  CONSTRAINT fk_events_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id) ON DELETE CASCADE,
  CONSTRAINT fk_events_unit FOREIGN KEY (unit_id) REFERENCES units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Next sequence number of the day per receiving unit (Circular 01/2018 dossier codes).
CREATE TABLE dossier_code_counters (
  unit_id  INT UNSIGNED NOT NULL,
  day      DATE NOT NULL,                          -- local date (Asia/Ho_Chi_Minh)
  last_seq INT UNSIGNED NOT NULL,
  PRIMARY KEY (unit_id, day)
) ENGINE=InnoDB;
