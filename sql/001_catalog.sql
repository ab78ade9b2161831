-- Units, fields and the procedure catalog (thủ tục hành chính), mirroring the national
-- catalog (CSDL quốc gia về TTHC). Text columns are utf8mb4; search goes through
-- search_text, a lower-case ASCII folding of name and code made by the importer
-- (domain/text.c), so "dang ky khai sinh" finds "Đăng ký khai sinh" whatever the collation
-- does with Đ.

CREATE TABLE units (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  parent_id   INT UNSIGNED NULL,
  code        VARCHAR(32)  NOT NULL,           -- electronic identifier, e.g. 000.00.20.H12
  name        VARCHAR(255) NOT NULL,           -- formal: Ủy ban nhân dân xã Gio Mỹ
  short_name  VARCHAR(255) NOT NULL DEFAULT '', -- as people say it: Xã Gio Mỹ
  level       VARCHAR(16)  NOT NULL,           -- province | district | commune | department | other
  level_label VARCHAR(64)  NOT NULL,           -- as shown: Tỉnh, Huyện, Xã, Phường, Sở ...
  depth       TINYINT UNSIGNED NOT NULL,       -- 0 for the root
  path        VARCHAR(512) NOT NULL,           -- '/1/4/9/': ancestors and self, for subtree queries
  active      TINYINT(1)   NOT NULL DEFAULT 1,
  UNIQUE KEY uk_units_code (code),
  KEY k_units_parent (parent_id),
  KEY k_units_path (path),
  CONSTRAINT fk_units_parent FOREIGN KEY (parent_id) REFERENCES units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE fields (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code        VARCHAR(32)  NOT NULL,
  name        VARCHAR(255) NOT NULL,
  search_text VARCHAR(255) NOT NULL,
  UNIQUE KEY uk_fields_code (code),
  UNIQUE KEY uk_fields_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE procedures (
  id               INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code             VARCHAR(32)   NOT NULL,      -- national code, e.g. 1.001193 or 2.002622.H56
  name             VARCHAR(1000) NOT NULL,
  field_id         INT UNSIGNED  NOT NULL,
  level_province   TINYINT(1)    NOT NULL DEFAULT 0,  -- implementing levels (cấp thực hiện)
  level_district   TINYINT(1)    NOT NULL DEFAULT 0,
  level_commune    TINYINT(1)    NOT NULL DEFAULT 0,
  agency           VARCHAR(1000) NOT NULL,       -- cơ quan thực hiện
  applicants       VARCHAR(1000) NOT NULL DEFAULT '', -- đối tượng thực hiện
  service_level    ENUM('full','partial','info') NOT NULL,
  processing_time  DECIMAL(8,2)  NOT NULL,       -- amount in time_unit; 0.5 allowed
  time_unit        ENUM('working_days','calendar_days','hours') NOT NULL,
  time_note        VARCHAR(2000) NOT NULL DEFAULT '', -- the catalog's wording of the time
  conditions       TEXT          NOT NULL,       -- yêu cầu, điều kiện
  result           TEXT          NOT NULL,       -- kết quả thực hiện
  restart_on_supplement TINYINT(1) NOT NULL DEFAULT 0, -- full time restarts after a supplement
  search_text      VARCHAR(1100) NOT NULL,
  published        TINYINT(1)    NOT NULL DEFAULT 1,
  updated_at       DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY uk_procedures_code (code),
  KEY k_procedures_field (field_id),
  CONSTRAINT fk_procedures_field FOREIGN KEY (field_id) REFERENCES fields (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Ways of submitting (cách thức thực hiện) with their own time and fees.
CREATE TABLE procedure_channels (
  procedure_id   INT UNSIGNED NOT NULL,
  seq            SMALLINT UNSIGNED NOT NULL,
  channel        ENUM('direct','online','postal') NOT NULL,
  processing_time DECIMAL(8,2) NOT NULL,
  time_unit      ENUM('working_days','calendar_days','hours') NOT NULL,
  description    TEXT NOT NULL,
  PRIMARY KEY (procedure_id, seq),
  CONSTRAINT fk_pch_procedure FOREIGN KEY (procedure_id) REFERENCES procedures (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Fees and charges (phí, lệ phí) of one way of submitting (procedure_channels.seq).
CREATE TABLE procedure_fees (
  procedure_id INT UNSIGNED NOT NULL,
  seq          SMALLINT UNSIGNED NOT NULL,
  channel_seq  SMALLINT UNSIGNED NOT NULL,
  kind         ENUM('fee','charge') NOT NULL,    -- phí | lệ phí
  amount_vnd   BIGINT UNSIGNED NOT NULL,         -- 0 = free
  description  TEXT NOT NULL,
  PRIMARY KEY (procedure_id, seq),
  CONSTRAINT fk_pfee_procedure FOREIGN KEY (procedure_id) REFERENCES procedures (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Thành phần hồ sơ, per case (trường hợp). The empty case name is "every case".
CREATE TABLE procedure_documents (
  procedure_id INT UNSIGNED NOT NULL,
  seq          SMALLINT UNSIGNED NOT NULL,
  case_name    VARCHAR(1000) NOT NULL DEFAULT '',
  name         VARCHAR(2000) NOT NULL,
  originals    SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  copies       SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  template_url VARCHAR(1000) NOT NULL DEFAULT '',
  required     TINYINT(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (procedure_id, seq),
  CONSTRAINT fk_pdoc_procedure FOREIGN KEY (procedure_id) REFERENCES procedures (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Trình tự thực hiện: the steps as the citizen reads them.
CREATE TABLE procedure_steps (
  procedure_id INT UNSIGNED NOT NULL,
  seq          SMALLINT UNSIGNED NOT NULL,
  description  TEXT NOT NULL,
  PRIMARY KEY (procedure_id, seq),
  CONSTRAINT fk_pstep_procedure FOREIGN KEY (procedure_id) REFERENCES procedures (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Căn cứ pháp lý.
CREATE TABLE procedure_legal_bases (
  procedure_id INT UNSIGNED NOT NULL,
  seq          SMALLINT UNSIGNED NOT NULL,
  number       VARCHAR(255) NOT NULL,            -- số ký hiệu, e.g. 123/2015/NĐ-CP
  title        VARCHAR(2000) NOT NULL,
  issued_on    DATE NULL,
  PRIMARY KEY (procedure_id, seq),
  CONSTRAINT fk_plb_procedure FOREIGN KEY (procedure_id) REFERENCES procedures (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Quy trình nội bộ: ordered steps, each with a role, the level of unit that performs it,
-- and its share of the total processing time in per mille (the shares add to 1000).
CREATE TABLE procedure_process_steps (
  procedure_id INT UNSIGNED NOT NULL,
  seq          SMALLINT UNSIGNED NOT NULL,
  name         VARCHAR(500) NOT NULL,
  role         ENUM('desk','specialist','leader','clerk') NOT NULL,
  unit_level   VARCHAR(16) NOT NULL,             -- receiving | province | district | commune | department
  share_permille SMALLINT UNSIGNED NOT NULL,
  PRIMARY KEY (procedure_id, seq),
  CONSTRAINT fk_pps_procedure FOREIGN KEY (procedure_id) REFERENCES procedures (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
