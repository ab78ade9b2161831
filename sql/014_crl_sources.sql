-- Where CRLs are refreshed from (api/signatures.c, core/crlrefresh.c): motcua-worker
-- fetches every active source every MOTCUA_CRL_REFRESH_MINUTES (and at its start); an
-- admin can refresh one at once. A fetched CRL replaces the stored CRL of the same
-- issuer (crls.issuer_hash) when it is newer.

CREATE TABLE crl_sources (
  id               INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  url              VARCHAR(1024) NOT NULL,        -- http://… or file:///…
  ca_id            INT UNSIGNED NULL,             -- the trusted CA the CRL belongs to, if known
  issuer_der       MEDIUMBLOB NULL,               -- an intermediate CA that signs the CRL
  added_by         INT UNSIGNED NULL,             -- officers.id
  added_at         DATETIME(0) NOT NULL,
  active           TINYINT(1) NOT NULL DEFAULT 1,
  last_attempt_at  DATETIME(0) NULL,
  last_success_at  DATETIME(0) NULL,
  last_error       VARCHAR(512) NULL,             -- NULL after a success
  last_crl_id      INT UNSIGNED NULL,
  last_issuer      VARCHAR(1024) NULL,
  last_this_update DATETIME(0) NULL,
  last_next_update DATETIME(0) NULL,
  last_revoked_count INT UNSIGNED NULL,
  KEY k_crl_sources_active (active, last_attempt_at),
  CONSTRAINT fk_crl_sources_ca FOREIGN KEY (ca_id) REFERENCES trusted_cas (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- SHA-256 (hex) of the issuer name's DER: a refreshed CRL replaces the older one of
-- its issuer. NULL for CRLs stored before this column.
ALTER TABLE crls ADD COLUMN issuer_hash CHAR(64) NULL, ADD KEY k_crls_issuer (issuer_hash);

-- The intermediate CA certificates given with an officer's certificate when it was
-- registered (PEM, the officer's first), so that its chain can be judged again each
-- time the list is shown. NULL: the certificate alone.
ALTER TABLE officer_certificates ADD COLUMN chain_pem MEDIUMTEXT NULL;
