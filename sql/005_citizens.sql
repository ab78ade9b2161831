-- The citizen portal: citizens' accounts and sessions, online submission (idempotency
-- keys, drafts) and the files attached to dossiers.
-- Times are UTC. Files live in the content-addressed file store (MOTCUA_FILES_DIR); the
-- database refers to them by SHA-256 only.

-- Citizens (công dân) who sign in on the portal; guests submit without an account.
CREATE TABLE citizens (
  id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email                 VARCHAR(255) NULL,          -- at least one of email, phone
  phone                 VARCHAR(32)  NULL,
  full_name             VARCHAR(255) NOT NULL,
  password_hash         VARCHAR(255) NOT NULL,      -- argon2id encoded string
  email_verified_at     DATETIME(0)  NULL,
  verify_token_hash     BINARY(32)   NULL,          -- SHA-256 of the link's token
  verify_expires_at     DATETIME(0)  NULL,
  failed_logins         INT UNSIGNED NOT NULL DEFAULT 0,
  locked_until          DATETIME(0)  NULL,
  created_at            DATETIME(0)  NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uk_citizens_email (email),
  UNIQUE KEY uk_citizens_phone (phone),
  UNIQUE KEY uk_citizens_verify (verify_token_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Sessions, as officer_sessions: only the SHA-256 of the cookie's token is stored.
CREATE TABLE citizen_sessions (
  token_hash   BINARY(32)      NOT NULL PRIMARY KEY,
  citizen_id   BIGINT UNSIGNED NOT NULL,
  csrf_token   CHAR(43)        NOT NULL,
  created_at   DATETIME(0)     NOT NULL,
  expires_at   DATETIME(0)     NOT NULL,
  last_seen_at DATETIME(0)     NOT NULL,
  KEY k_csessions_citizen (citizen_id),
  KEY k_csessions_expires (expires_at),
  CONSTRAINT fk_csessions_citizen FOREIGN KEY (citizen_id) REFERENCES citizens (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- The dossier's owner on the portal; NULL for guests and for dossiers received at the desk.
ALTER TABLE dossiers
  ADD COLUMN citizen_id BIGINT UNSIGNED NULL AFTER received_by,
  ADD KEY k_dossiers_citizen (citizen_id, created_at);

-- A retried submission with the same Idempotency-Key and the same body gets the first
-- answer again; the same key with another body is refused. scope: 'guest' or 'citizen:<id>'.
CREATE TABLE idempotency_keys (
  idem_key     VARCHAR(128)    NOT NULL,
  scope        VARCHAR(64)     NOT NULL,
  request_hash BINARY(32)      NOT NULL,          -- SHA-256 over the fields and the files' digests
  dossier_id   BIGINT UNSIGNED NULL,
  response     TEXT            NULL,              -- the first answer (JSON), to answer again
  created_at   DATETIME(0)     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (idem_key, scope),
  KEY k_idem_created (created_at),
  CONSTRAINT fk_idem_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Drafts of an online submission: the form so far and the files staged for it. The owner
-- is a citizen or, for a guest, the SHA-256 of the draft's own token.
CREATE TABLE submission_drafts (
  id                CHAR(22)        NOT NULL PRIMARY KEY,   -- random, base64url
  citizen_id        BIGINT UNSIGNED NULL,
  guest_token_hash  BINARY(32)      NULL,
  procedure_id      INT UNSIGNED    NOT NULL,
  case_name         VARCHAR(1000)   NOT NULL DEFAULT '',
  form_json         TEXT            NOT NULL,
  created_at        DATETIME(0)     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at        DATETIME(0)     NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  KEY k_drafts_citizen (citizen_id),
  CONSTRAINT fk_drafts_citizen FOREIGN KEY (citizen_id) REFERENCES citizens (id) ON DELETE CASCADE,
  CONSTRAINT fk_drafts_procedure FOREIGN KEY (procedure_id) REFERENCES procedures (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Stored files: one row per content, whoever refers to it.
CREATE TABLE files (
  sha256          BINARY(32)      NOT NULL PRIMARY KEY,
  size            BIGINT UNSIGNED NOT NULL,
  detected_type   ENUM('pdf','jpeg','png') NOT NULL,
  first_stored_at DATETIME(0)     NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;

CREATE TABLE submission_draft_files (
  draft_id     CHAR(22)     NOT NULL,
  seq          SMALLINT UNSIGNED NOT NULL,        -- the procedure document's seq
  file_sha256  BINARY(32)   NOT NULL,
  file_name    VARCHAR(255) NOT NULL,
  PRIMARY KEY (draft_id, seq),
  CONSTRAINT fk_dfiles_draft FOREIGN KEY (draft_id) REFERENCES submission_drafts (id) ON DELETE CASCADE,
  CONSTRAINT fk_dfiles_file FOREIGN KEY (file_sha256) REFERENCES files (sha256)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The file of a dossier's document: its sanitised name, detected type, size, and who
-- attached it ('applicant' or the officer's username).
ALTER TABLE dossier_documents
  ADD COLUMN file_name   VARCHAR(255) NULL AFTER file_sha256,
  ADD COLUMN file_type   ENUM('pdf','jpeg','png') NULL AFTER file_name,
  ADD COLUMN file_size   BIGINT UNSIGNED NULL AFTER file_type,
  ADD COLUMN uploaded_at DATETIME(0) NULL AFTER file_size,
  ADD COLUMN uploaded_by VARCHAR(64) NULL AFTER uploaded_at,
  ADD KEY k_ddoc_file (file_sha256);
