/*
 * Importing units and procedures from JSON files. Procedures come in the national
 * catalog's field layout (MATTHC, TENTTHC, LINHVUCTHUCHIEN, CAPTHUCHIEN,
 * CACHTHUCTHUCHIEN/THOIGIAN/DONVITINH/PHILEPHI, THANHPHANHOSO/GIAYTO, TRINHTUTHUCHIEN,
 * YEUCAUDIEUKIEN, CANCUPHAPLY, KETQUATHUCHIEN, plus our QUYTRINHNOIBO and KYSOKETQUA:
 * whether an electronic result needs the leader's signature, true when absent); see README.
 *
 * Every record is validated first; each bad one is reported on `report` by index and
 * field; the good ones are written in one transaction. Re-importing updates by code.
 */
#ifndef MOTCUA_TOOLS_IMPORT_CATALOG_H
#define MOTCUA_TOOLS_IMPORT_CATALOG_H

#include <stdio.h>

struct db;

struct import_result {
	long total, imported, rejected;
};

/* 0 when the file was read and the good records committed (even if some were
 * rejected), -1 when nothing was written (unreadable file, bad JSON, database error). */
int import_procedures(struct db *db, const char *path, FILE *report, struct import_result *res);
int import_units(struct db *db, const char *path, FILE *report, struct import_result *res);

#endif
