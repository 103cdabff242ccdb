/*
 * fuzz_json.c - libFuzzer target for the JSON Lines field extractor of
 * --records=jsonl.  Invariants (abort() when broken): no crash on any
 * input; on success a found string field's decoded length fits the
 * input; a failure fills no field; the extractor gives the same answer
 * twice (no hidden state), the second time with the text field
 * borrowed where it can be (decoded over its own bytes when escaped):
 * the same bytes, and a borrowed value lies within the line; a line
 * with nothing borrowed is left as it was; two fields of one path, the
 * second borrowing, get the same bytes (the first a copy).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_field f[2], g[2], h[2];
    const char *err = NULL, *err2 = NULL, *err3 = NULL;
    char *line = malloc(size ? size : 1), *line2 = malloc(size ? size : 1);
    char *line3 = malloc(size ? size : 1);
    int r1, r2, r3;

    if (!line || !line2 || !line3)
        abort();
    if (size) {
        memcpy(line, data, size);
        memcpy(line2, data, size);
        memcpy(line3, data, size);
    }
    memset(f, 0, sizeof(f));
    memset(g, 0, sizeof(g));
    memset(h, 0, sizeof(h));
    f[0].path = g[0].path = h[0].path = h[1].path = "text";
    f[1].path = g[1].path = "meta.id";
    g[0].borrow = h[1].borrow = 1;
    r1 = json_extract(line, size, f, 2, &err);
    r2 = json_extract(line2, size, g, 2, &err2);
    r3 = json_extract(line3, size, h, 2, &err3);
    if (r1 != r2 || r1 != r3 || (size && memcmp(line, data, size)))
        abort();
    if (r1 < 0) {
        if (!err || f[0].found || f[1].found || f[0].value || f[1].value)
            abort();
        free(line);
        free(line2);
        free(line3);
        return 0;
    }
    if (h[0].found != f[0].found || h[1].found != f[0].found ||
        h[0].borrowed || h[0].len != h[1].len ||
        (h[0].found && memcmp(h[0].value, h[1].value, h[0].len)))
        abort();
    json_fields_release(h, 2);
    if (f[0].found != g[0].found || f[1].found != g[1].found)
        abort();
    if (f[0].found && (f[0].len > size || f[0].len != g[0].len ||
                       memcmp(f[0].value, g[0].value, f[0].len)))
        abort();
    if (f[0].borrowed || f[1].borrowed || g[1].borrowed ||
        (g[0].borrowed && (g[0].value < line2 ||
                           g[0].value + g[0].len > line2 + size)))
        abort();
    json_fields_release(f, 2);
    json_fields_release(g, 2);
    free(line);
    free(line2);
    free(line3);
    return 0;
}
