/*
 * fuzz_json.c - libFuzzer target for the JSON Lines field extractor of
 * --records=jsonl.  Invariants (abort() when broken): no crash on any
 * input; on success a found string field's decoded length fits the
 * input; a failure fills no field; the extractor gives the same answer
 * twice (no hidden state), the second time with the text field
 * borrowed where it can be: the same bytes, and a borrowed value lies
 * within the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_field f[2], g[2];
    const char *err = NULL, *err2 = NULL;
    int r1, r2;

    memset(f, 0, sizeof(f));
    memset(g, 0, sizeof(g));
    f[0].path = g[0].path = "text";
    f[1].path = g[1].path = "meta.id";
    g[0].borrow = 1;
    r1 = json_extract((const char *)data, size, f, 2, &err);
    r2 = json_extract((const char *)data, size, g, 2, &err2);
    if (r1 != r2)
        abort();
    if (r1 < 0) {
        if (!err || f[0].found || f[1].found || f[0].value || f[1].value)
            abort();
        return 0;
    }
    if (f[0].found != g[0].found || f[1].found != g[1].found)
        abort();
    if (f[0].found && (f[0].len > size || f[0].len != g[0].len ||
                       memcmp(f[0].value, g[0].value, f[0].len)))
        abort();
    if (f[0].borrowed || f[1].borrowed || g[1].borrowed ||
        (g[0].borrowed && (g[0].value < (const char *)data ||
                           g[0].value + g[0].len > (const char *)data + size)))
        abort();
    json_fields_release(f, 2);
    json_fields_release(g, 2);
    return 0;
}
