#include <string.h>

#include "core/db.h"
#include "meta_store.h"

static int take_int(const struct db_row *row, void *arg)
{
	*(long long *)arg = db_row_int(row, 0, -1);
	return 0;
}

int meta_schema_version(struct db *db)
{
	static const char sql[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
	long long v = -1;

	if (db_query(db, sql, NULL, 0, take_int, &v) != 0)
		return -1;
	return (int)v;
}
