/*
 * json.h - field extraction from one JSON Lines record (json.c).
 */
#ifndef DUPFIND_JSON_H
#define DUPFIND_JSON_H

#include <stddef.h>

typedef struct {
    const char *path;   /* dotted key path, e.g. "meta.id" */
    int found;          /* set when the path exists */
    int is_string;      /* the value was a JSON string (decoded) */
    char *value;        /* malloc'd: decoded string, or raw JSON text */
    size_t len;         /* bytes in value */
} json_field;

/* Validates line as one JSON object and fills up to 32 fields.
 * Returns 0, or -1 with *err set (static text) and no field filled.
 * Free the values with json_fields_release. */
int json_extract(const char *line, size_t len, json_field *fields,
                 unsigned nfields, const char **err);
void json_fields_release(json_field *fields, unsigned nfields);

#endif
