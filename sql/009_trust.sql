-- Trusted certificate authorities and CRLs for verifying digital signatures
-- (fcgi/sig/sigverify.h, api/signatures.c). Every active CA is a trust anchor.

CREATE TABLE trusted_cas (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(255) NOT NULL,
  der         MEDIUMBLOB NOT NULL,                -- the certificate, DER
  sha256      CHAR(64) NOT NULL,                  -- of der, lowercase hex
  subject     VARCHAR(1024) NOT NULL,             -- RFC 2253, UTF-8
  not_after   DATETIME(0) NOT NULL,               -- UTC
  added_by    BIGINT UNSIGNED NULL,               -- officers.id
  added_at    DATETIME(0) NOT NULL,
  active      TINYINT(1) NOT NULL DEFAULT 1,
  UNIQUE KEY u_trusted_cas_sha256 (sha256)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE crls (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ca_id       INT UNSIGNED NULL,                  -- the trusted CA that signed it; NULL: an
                                                  -- intermediate that comes inside signatures
  der         MEDIUMBLOB NOT NULL,
  this_update DATETIME(0) NOT NULL,
  next_update DATETIME(0) NULL,
  added_at    DATETIME(0) NOT NULL,
  KEY k_crls_ca (ca_id),
  CONSTRAINT fk_crls_ca FOREIGN KEY (ca_id) REFERENCES trusted_cas (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Bumped on every change of the two tables: the verifier of each process is rebuilt
-- when it sees a new value.
CREATE TABLE trust_generation (
  id          TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  gen         BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO trust_generation (id, gen) VALUES (1, 1);
