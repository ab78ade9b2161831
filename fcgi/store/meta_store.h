/* Schema bookkeeping. */
#ifndef MOTCUA_STORE_META_H
#define MOTCUA_STORE_META_H

struct db;

/* Highest applied migration, 0 if none, -1 if it cannot be read. */
int meta_schema_version(struct db *db);

#endif
