-- Results (kết quả giải quyết) and their digital signatures (DOMAIN.md "Digital
-- signatures"): the result file of a dossier, each revision kept (uploaded, signed by the
-- leader, sealed by the clerk); the verification report of every file the server signed,
-- sealed or took, by the file's SHA-256, for the public verification page; and the
-- sessions of the two-step remote signing.

-- Whether the leader's approval (resolve) of an electronic result needs a verified
-- signature registered to that leader. Results need one unless a procedure says otherwise.
ALTER TABLE procedures ADD COLUMN result_signature_required TINYINT(1) NOT NULL DEFAULT 1;

CREATE TABLE dossier_results (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dossier_id   BIGINT UNSIGNED NOT NULL,
  file_sha256  BINARY(32)   NOT NULL,              -- files.sha256; the current result is the latest row
  file_name    VARCHAR(255) NOT NULL,              -- sanitised, as uploaded
  size         BIGINT UNSIGNED NOT NULL,
  stage        ENUM('uploaded','signed','sealed') NOT NULL,
  created_by   INT UNSIGNED NULL,                  -- officers.id
  created_at   DATETIME(0)  NOT NULL,              -- UTC
  KEY k_dossier_results_dossier (dossier_id, id),
  KEY k_dossier_results_sha (file_sha256),
  CONSTRAINT fk_dossier_results_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What the verifier said of a file when the server stored it: public by SHA-256 (the
-- hash is only known to who holds the file or its QR code/link).
CREATE TABLE signature_reports (
  sha256       CHAR(64)     NOT NULL PRIMARY KEY,  -- of the file, lowercase hex
  dossier_id   BIGINT UNSIGNED NULL,
  verdict      ENUM('valid','valid_with_warnings','invalid') NOT NULL,
  report       MEDIUMTEXT   NOT NULL,              -- JSON, as POST /api/v1/signatures/verify answers
  verified_at  DATETIME(0)  NOT NULL               -- UTC
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Two-step remote signing: the prepared PDF (the result plus a revision with an empty
-- signature) waits here for the signer's token; one session per officer and dossier,
-- 10 minutes.
CREATE TABLE signing_sessions (
  id           CHAR(32)     NOT NULL PRIMARY KEY,  -- random, hex
  officer_id   INT UNSIGNED NOT NULL,
  dossier_id   BIGINT UNSIGNED NOT NULL,
  result_id    BIGINT UNSIGNED NOT NULL,           -- the revision it was prepared from
  prepared     LONGBLOB     NOT NULL,
  byte_range   VARCHAR(96)  NOT NULL,              -- "a b c d"
  contents_off BIGINT UNSIGNED NOT NULL,
  capacity     INT UNSIGNED NOT NULL,
  digest       BINARY(32)   NOT NULL,
  signing_time BIGINT       NOT NULL,              -- UTC seconds
  attrs        BLOB         NOT NULL,              -- DER signed attributes: what the token signs
  cert         BLOB         NOT NULL,              -- the signer's certificate, DER
  chain        MEDIUMTEXT   NOT NULL,              -- PEM, may be empty
  expires_at   DATETIME(0)  NOT NULL,
  UNIQUE KEY u_signing_sessions_officer_dossier (officer_id, dossier_id),
  CONSTRAINT fk_signing_sessions_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
