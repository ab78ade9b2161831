-- Officers' signing certificates (DOMAIN.md "Digital signatures"): a signature counts as
-- an officer's only when its certificate is the one registered to that officer. A
-- certificate is registered only if it chains to a trusted CA, is within its validity and
-- allows signing (api/certificates.c); expiry and revocation are judged again whenever the
-- list is shown.

CREATE TABLE officer_certificates (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  officer_id  INT UNSIGNED NOT NULL,
  der         MEDIUMBLOB NOT NULL,                -- the certificate, DER
  sha256      CHAR(64) NOT NULL,                  -- of der, lowercase hex: what a verification report names
  subject     VARCHAR(1024) NOT NULL,             -- RFC 2253, UTF-8
  issuer      VARCHAR(1024) NOT NULL,
  serial_hex  VARCHAR(132) NOT NULL,              -- upper-case hex
  not_before  DATETIME(0) NOT NULL,               -- UTC
  not_after   DATETIME(0) NOT NULL,
  added_by    INT UNSIGNED NULL,                  -- officers.id
  added_at    DATETIME(0) NOT NULL,
  active      TINYINT(1) NOT NULL DEFAULT 1,      -- 0: withdrawn by an admin or the officer
  UNIQUE KEY u_officer_certificates_sha256 (sha256),
  KEY k_officer_certificates_officer (officer_id),
  CONSTRAINT fk_officer_certificates_officer FOREIGN KEY (officer_id) REFERENCES officers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
