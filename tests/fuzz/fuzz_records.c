/*
 * fuzz_records.c - libFuzzer target for the record readers
 * (--records=lines, nul and jsonl).  The first input byte picks the
 * kind, the rest is written to a file and read as a record source by the
 * real reader (records.c into reader.c, one thread).  Invariants
 * (abort() when broken): no crash; every record added to the context
 * can be read again with the same text (records_text) and sketches to
 * the same distinct-shingle count; its place in the source lies inside
 * the input.  Messages about malformed lines go to stderr (silenced by
 * the replay driver's redirect when it runs under ctest).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const records_mode kinds[] = { RECORDS_LINES, RECORDS_NUL,
                                          RECORDS_JSONL };
    char path[] = "/tmp/dupfind-fuzz-XXXXXX";
    cli_options opt;
    dupfind_ctx *ctx = NULL;
    dupfind_doc *doc = NULL;
    reader *rd = NULL;
    records *rs = NULL;
    int fd, trouble = 0;
    uint32_t id, n;

    if (size == 0)
        return 0;
    memset(&opt, 0, sizeof(opt));
    dupfind_options_init(&opt.lib);
    opt.records = kinds[data[0] % 3];
    opt.text_field = "text";
    opt.id_field = data[0] & 4 ? "meta.id" : NULL;
    opt.quiet = 1;
    fd = mkstemp(path);
    if (fd < 0)
        return 0;
    if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    if (dupfind_ctx_new(&ctx, &opt.lib, NULL, 0) < 0 ||
        dupfind_doc_new(&doc, ctx) < 0 ||
        reader_new(&rd, &opt, ctx, 1) < 0 ||
        records_new(&rs, &opt, rd) < 0 ||
        records_source(rs, path, &trouble) < 0 ||
        reader_finish(rd, &trouble) < 0)
        abort();
    n = dupfind_ctx_doc_count(ctx);
    for (id = 0; id < n; id++) {
        const doc_loc *loc = &reader_locs(rd)[id];
        char *text;
        size_t len;

        if (loc->source < 0 || loc->offset + loc->len > size - 1)
            abort();
        if (records_text(rs, loc, &text, &len) < 0)
            abort();
        dupfind_doc_reset(doc);
        if (dupfind_doc_feed(doc, text, len) < 0 ||
            dupfind_doc_finish(doc) < 0)
            abort();
        if (dupfind_doc_shingle_count(doc) !=
            dupfind_ctx_doc_shingles(ctx, id))
            abort();
        free(text);
    }
    records_free(rs);
    reader_free(rd);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
    unlink(path);
    return 0;
}
