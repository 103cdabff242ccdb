/*
 * json.h - field extraction from one JSON Lines record (json.c).
 */
#ifndef DUPFIND_JSON_H
#define DUPFIND_JSON_H

#include <stddef.h>

typedef struct {
    const char *path;   /* dotted key path, e.g. "meta.id" */
    int borrow;         /* in: a string may be left in the line */
    int found;          /* set when the path exists */
    int is_string;      /* the value was a JSON string (decoded) */
    int borrowed;       /* value points into the line (no NUL after it) */
    char *value;        /* malloc'd and NUL-terminated: decoded string, or
                           raw JSON text; or borrowed */
    size_t len;         /* bytes in value */
} json_field;

/* Validates line as one JSON object and fills up to 32 fields.  A
 * field with borrow set whose value is a string gets a pointer into
 * line instead of a copy (the text field of a record: no copy of most
 * of the input): the string's bytes as they are when it has no escape,
 * else decoded over themselves (decoded text is never longer), which
 * changes the line there.  Returns 0, or -1 with *err set (static
 * text) and no field filled (the line may have changed all the same).
 * Free the values with json_fields_release. */
int json_extract(char *line, size_t len, json_field *fields,
                 unsigned nfields, const char **err);
void json_fields_release(json_field *fields, unsigned nfields);

#endif
