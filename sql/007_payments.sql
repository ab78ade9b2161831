-- Online payment of fees and charges (thanh toán trực tuyến nghĩa vụ tài chính).
-- An officer's payment request may set the amount; otherwise it comes from the
-- procedure's fees for the dossier's channel. The portal opens an order with a gateway;
-- the gateway's signed notification marks it paid, records the receipt (biên lai) and
-- applies the dossier's 'pay' action, all in one transaction.

CREATE TABLE payment_requests (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dossier_id   BIGINT UNSIGNED NOT NULL,
  amount_vnd   BIGINT UNSIGNED NULL,              -- NULL: the procedure's fees
  officer_id   INT UNSIGNED NULL,
  requested_at DATETIME(0) NOT NULL,
  KEY k_payreq_dossier (dossier_id, id),
  CONSTRAINT fk_payreq_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE payment_orders (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_ref    VARCHAR(40)  NOT NULL,             -- sent to the gateway (vnp_TxnRef)
  dossier_id   BIGINT UNSIGNED NOT NULL,
  gateway      VARCHAR(32)  NOT NULL,
  amount_vnd   BIGINT UNSIGNED NOT NULL,
  status       ENUM('pending','paid','failed') NOT NULL DEFAULT 'pending',
  gateway_txn  VARCHAR(64)  NOT NULL DEFAULT '',  -- the gateway's transaction number
  response_code VARCHAR(8)  NOT NULL DEFAULT '',
  created_at   DATETIME(0)  NOT NULL,
  settled_at   DATETIME(0)  NULL,                 -- paid or failed
  UNIQUE KEY uk_payorders_ref (order_ref),
  KEY k_payorders_dossier (dossier_id),
  CONSTRAINT fk_payorders_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Biên lai thu phí, lệ phí: one per paid order.
CREATE TABLE payment_receipts (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  number       VARCHAR(32)  NOT NULL,             -- BL-YYMMDD-NNNNNN
  order_id     BIGINT UNSIGNED NOT NULL,
  dossier_id   BIGINT UNSIGNED NOT NULL,
  amount_vnd   BIGINT UNSIGNED NOT NULL,
  issued_at    DATETIME(0)  NOT NULL,
  UNIQUE KEY uk_payreceipts_number (number),
  UNIQUE KEY uk_payreceipts_order (order_id),
  CONSTRAINT fk_payreceipts_order FOREIGN KEY (order_id) REFERENCES payment_orders (id),
  CONSTRAINT fk_payreceipts_dossier FOREIGN KEY (dossier_id) REFERENCES dossiers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
