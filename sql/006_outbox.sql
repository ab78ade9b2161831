-- The outbox: every message to an applicant (e-mail, SMS) is written here in the same
-- transaction as the change it tells about, so a message exists if and only if the change
-- committed. motcua-worker delivers them (fcgi/worker.c, deliver_outbox).
--
-- dedup_key is unique: the same event can never produce two messages (a retried request
-- or a second hook for the same event inserts nothing). A worker claims a message with a
-- lease (claimed_by, claimed_until) before sending it, so two workers never send the same
-- message; a worker that dies between sending and marking it sent leaves a lease that
-- expires, and the message is sent once more (at most once more: see outbox_store.h).
CREATE TABLE outbox (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dossier_id      BIGINT UNSIGNED NULL,           -- NULL: not about a dossier (verify_email)
  kind            VARCHAR(32)  NOT NULL,          -- accepted, not_accepted, supplement_requested, ...
  channel         ENUM('email','sms') NOT NULL,
  recipient       VARCHAR(255) NOT NULL,          -- an e-mail address or a phone number
  subject         VARCHAR(500) NOT NULL DEFAULT '',
  body            MEDIUMTEXT   NOT NULL,          -- UTF-8 text
  dedup_key       VARCHAR(191) NOT NULL,          -- e.g. {dossier code}:{event seq}:{kind}:{channel}
  created_at      DATETIME(0)  NOT NULL,
  next_attempt_at DATETIME(0)  NOT NULL,
  attempts        SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  claimed_by      CHAR(32)     NULL,              -- the lease of the worker sending it now
  claimed_until   DATETIME(0)  NULL,
  sent_at         DATETIME(0)  NULL,
  failed_at       DATETIME(0)  NULL,              -- given up: an admin may retry it
  last_error      VARCHAR(500) NOT NULL DEFAULT '',
  UNIQUE KEY uk_outbox_dedup (dedup_key),
  KEY k_outbox_due (sent_at, failed_at, next_attempt_at),
  KEY k_outbox_dossier (dossier_id),
  CONSTRAINT fk_outbox_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
