/*
 * test_workload_binary.c - the binary formats: vmt written and read back
 * exactly (pids, kinds, sizes, far 64-bit jumps, page units), every
 * truncation and corruption of a vmt file refused with its offset, and
 * libCacheSim's oracleGeneral, including its truncated last record.
 */
#include "unit.h"
#include "wltest.h"

#include "vmlab/base.h"
#include "vmlab/rng.h"
#include "vmlab/wlwriter.h"
#include "vmlab/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A varied reference sequence: streams, repeats, far jumps, pids, sizes. */
static struct wl_ref *varied_refs(size_t n, uint64_t seed)
{
	struct wl_ref *r = xcalloc(n, sizeof(*r));
	struct rng g;
	uint64_t streams[3] = { 0x400000, 0x7fffffffe000ull, 0x1fff000000ull };

	rng_seed(&g, seed);
	for (size_t i = 0; i < n; i++) {
		uint64_t x = rng_next(&g);
		int s = (int)(x % 3);
		switch ((x >> 8) % 8) {
		case 0: r[i].vaddr = rng_next(&g); break; /* anywhere */
		case 1: r[i].vaddr = i % 2 ? 0 : UINT64_MAX; break;
		case 2: r[i].vaddr = streams[s]; break;       /* repeat */
		default:
			streams[s] += (x >> 16) % 64 - 16;
			r[i].vaddr = streams[s];
			break;
		}
		r[i].kind = (uint8_t)((x >> 24) % 3);
		r[i].size = (x >> 28) % 4 == 0 ? (uint32_t)((x >> 32) % 70000) + 1 :
			    8;
		r[i].pid = (x >> 40) % 50 == 0 ? (uint32_t)(x >> 48) : 0;
	}
	return r;
}

static int write_vmt(const char *path, const struct wl_ref *r, size_t n,
		     enum wl_unit unit, uint32_t page_size)
{
	struct wl_writer_options o = { .unit = unit, .page_size = page_size };
	struct wl_writer *w;
	struct error err = { 0 };

	if (wl_writer_open("vmt", path, &o, &w, &err) ||
	    wl_writer_put(w, r, n, &err) || wl_writer_close(w, 0, &err)) {
		unit_fail(__FILE__, __LINE__, "write: %s", err.msg);
		return -1;
	}
	return 0;
}

TEST(wl_vmt_round_trip_exact)
{
	size_t n = 20000, got;
	struct wl_ref *r = varied_refs(n, 7), *back;
	const char *path = wlt_tmpname(".vmt");
	struct error err = { 0 };
	struct workload_options opt = { 0 };
	struct workload *w;
	static const size_t batches[] = { 1, 7, 4096 };

	if (write_vmt(path, r, n, WL_UNIT_BYTES, 4096))
		return;
	CHECK_EQ(workload_open(path, &opt, &w, &err), 0);
	if (!w)
		return;
	CHECK_STR(w->ops->name, "vmt");
	CHECK_EQ(w->unit, WL_UNIT_BYTES);
	CHECK_EQ(w->page_size, 4096);
	for (size_t b = 0; b < ARRAY_LEN(batches); b++) {
		CHECK_EQ(wlt_read_all(w, batches[b], &back, &got, &err), 0);
		CHECK_EQ(got, n);
		size_t bad = 0;
		for (size_t i = 0; i < n && i < got; i++)
			if (back[i].vaddr != r[i].vaddr ||
			    back[i].kind != r[i].kind ||
			    back[i].size != r[i].size || back[i].pid != r[i].pid)
				bad++;
		CHECK_EQ(bad, 0);
		free(back);
		CHECK_EQ(workload_rewind(w, &err), 0);
	}
	workload_close(w);
	remove(path);
	free(r);
}

TEST(wl_vmt_page_unit_header_and_empty_file)
{
	uint64_t pages[] = { 5, 3, 5, 1000000, 0 };
	struct wl_ref r[5];
	const char *path = wlt_tmpname(".vmt");
	struct error err = { 0 };
	struct workload_options opt = { 0 };
	struct workload *w;
	struct wl_ref *back;
	size_t n;

	for (int i = 0; i < 5; i++)
		r[i] = (struct wl_ref){ .vaddr = pages[i], .size = 1 };
	if (write_vmt(path, r, 5, WL_UNIT_PAGES, 0))
		return;
	CHECK_EQ(workload_open(path, &opt, &w, &err), 0);
	CHECK_EQ(w->unit, WL_UNIT_PAGES);
	CHECK_EQ(w->page_size, 0);
	CHECK_EQ(wlt_read_all(w, 2, &back, &n, &err), 0);
	CHECK_EQ(n, 5);
	CHECK_EQ(back[3].vaddr, 1000000);
	free(back);
	workload_close(w);
	if (write_vmt(path, r, 0, WL_UNIT_BYTES, 0))
		return;
	CHECK_EQ(workload_open(path, &opt, &w, &err), 0);
	CHECK_EQ(wlt_read_all(w, 2, &back, &n, &err), 0);
	CHECK_EQ(n, 0);
	free(back);
	workload_close(w);
	remove(path);
}

/* The message of reading DATA[0..LEN) as vmt, "" if it reads cleanly. */
static const char *vmt_error(const unsigned char *data, size_t len)
{
	static char msg[512];
	struct error err = { 0 };
	struct workload *w = wlt_open_mem(data, len, "t.vmt", "vmt", &err);
	struct wl_ref *r = NULL;
	size_t n;

	msg[0] = '\0';
	if (!w || wlt_read_all(w, 5, &r, &n, &err))
		snprintf(msg, sizeof(msg), "%s", err.msg);
	free(r);
	workload_close(w);
	return msg;
}

TEST(wl_vmt_every_truncation_is_an_error)
{
	size_t n = 300, len;
	struct wl_ref *r = varied_refs(n, 11);
	const char *path = wlt_tmpname(".vmt");
	unsigned char *data;

	if (write_vmt(path, r, n, WL_UNIT_BYTES, 0))
		return;
	data = wlt_read_file(path, &len);
	CHECK(data != NULL);
	if (!data)
		return;
	CHECK_STR(vmt_error(data, len), "");
	size_t silent = 0;
	for (size_t cut = 0; cut < len; cut++) {
		const char *m = vmt_error(data, cut);
		const char *want = cut < 8 ? "not a vmt file" :
				   cut < 16 ? "truncated vmt header" :
				   "without the vmt end marker";
		if (!strstr(m, want)) {
			if (!silent++)
				unit_fail(__FILE__, __LINE__, "cut %zu: '%s'", cut,
					  m);
		}
	}
	CHECK_EQ(silent, 0);
	char want[160];
	snprintf(want, sizeof(want), "t.vmt: truncated: the file ends at byte "
		 "offset %zu after %zu references, without the vmt end marker",
		 len - 9, n);
	CHECK_STR(vmt_error(data, len - 9), want);
	free(data);
	free(r);
	remove(path);
}

TEST(wl_vmt_corruption_is_reported)
{
	static const unsigned char hdr[16] = { 0x89, 'V', 'M', 'T', 0x0d, 0x0a,
					       0x1a, 0x0a, 1, 0, 12, 0 };
	unsigned char f[64];

	/* one read of address 0x10 (register 0, 1-byte delta), end, count 1 */
	memcpy(f, hdr, 16);
	memcpy(f + 16, "\x20\x20\x03\x01\0\0\0\0\0\0\0", 11);
	CHECK_STR(vmt_error(f, 27), "");
	f[19] = 2;
	CHECK_STR(vmt_error(f, 27), "t.vmt: byte offset 18 (after 1 references): "
		  "the end marker counts 2 references but the file holds 1 "
		  "(corrupt file)");
	f[19] = 1;
	f[27] = 0;
	CHECK_STR(vmt_error(f, 28), "t.vmt: byte offset 27 (after 1 references): "
		  "data after the end marker");
	f[16] = 0x0b;
	CHECK_STR(vmt_error(f, 27), "t.vmt: byte offset 16 (after 0 references): "
		  "unknown directive byte 0x0b");
	f[16] = 0xa0; /* size follows: 0 */
	f[17] = 0;
	CHECK_STR(vmt_error(f, 27), "t.vmt: byte offset 16 (after 0 references): "
		  "access size 0");
	f[16] = 0x20;
	f[8] = 2;
	CHECK_STR(vmt_error(f, 27), "t.vmt: vmt version 2 is not supported (this "
		  "vmlab reads version 1)");
	f[8] = 1;
	f[10] = 39; /* found by fuzz_detect: page size beyond 32 bits */
	CHECK_STR(vmt_error(f, 27), "t.vmt: header byte 10: page-size exponent "
		  "39 is out of range (0 to 31)");
	f[10] = 12;
	f[9] = 1;   /* found by fuzz_vmt: a size in a file of page numbers */
	f[16] = 0xa0;
	f[17] = 8;
	CHECK_STR(vmt_error(f, 27), "t.vmt: byte offset 16 (after 0 references): "
		  "access size other than 1 in a file of page numbers");
	f[9] = 0;
	f[16] = 0x20;
	f[17] = 0x20;
	f[13] = 1;
	CHECK_STR(vmt_error(f, 27), "t.vmt: header byte 13 is 1; flags and "
		  "reserved bytes must be 0");
	CHECK_STR(vmt_error((const unsigned char *)"0041f7a0 R\n", 11),
		  "t.vmt: not a vmt file (it does not begin with the vmt magic "
		  "bytes 89 56 4d 54 0d 0a 1a 0a)");
}

TEST(wl_vmt_far_addresses_use_set_register)
{
	struct wl_ref r[3] = {
		{ .vaddr = 0xffff800000000000ull, .size = 1 },
		{ .vaddr = 0x400000, .size = 1, .kind = REF_EXEC },
		{ .vaddr = 0xffff800000000008ull, .size = 1 },
	};
	const char *path = wlt_tmpname(".vmt");
	unsigned char *data;
	size_t len;

	if (write_vmt(path, r, 3, WL_UNIT_BYTES, 0))
		return;
	data = wlt_read_file(path, &len);
	if (!data)
		return;
	/* header, set register + reference (10), reference with a 4-byte
	 * delta (0x400000 from register 1 = zigzag 0x800000), reference
	 * with a 1-byte delta (+8 from register 0), end (9) */
	CHECK_EQ(len, 16 + 10 + 5 + 2 + 9);
	CHECK_EQ(data[16], 0x23);     /* set register 0 */
	CHECK_EQ(data[25], 0x00);     /* read, reg 0, no delta */
	CHECK_EQ(data[26], 0x66);     /* exec, reg 1, 4-byte delta */
	CHECK_EQ(data[31], 0x20);     /* read, reg 0, 1-byte delta */
	CHECK_EQ(data[32], 16);       /* zigzag(+8) */
	CHECK_STR(vmt_error(data, len), "");
	free(data);
	remove(path);
}

/* oracleGeneral */

#define CP_BIN "../shared/traces/libcachesim/cloudPhysicsIO.oracleGeneral.bin"
#define CP_TXT "../shared/traces/libcachesim/cloudPhysicsIO.txt.gz"

static struct wl_ref *read_spec(const char *spec, size_t *n,
				const char **format)
{
	struct workload *w;
	struct error err = { 0 };
	struct workload_options opt = { 0 };
	struct wl_ref *r = NULL;

	*n = 0;
	if (workload_open(spec, &opt, &w, &err)) {
		unit_fail(__FILE__, __LINE__, "%s", err.msg);
		return NULL;
	}
	*format = w->ops->name;
	if (wlt_read_all(w, 4096, &r, n, &err))
		unit_fail(__FILE__, __LINE__, "%s", err.msg);
	CHECK_EQ(w->unit, WL_UNIT_PAGES);
	workload_close(w);
	return r;
}

TEST(wl_oracle_general_sample_matches_its_text_form)
{
	size_t nb, nt;
	const char *fb = "", *ft = "";
	struct wl_ref *b = read_spec(CP_BIN, &nb, &fb);
	struct wl_ref *t = read_spec(CP_TXT, &nt, &ft);

	CHECK_STR(fb, "oracle-general");
	CHECK_STR(ft, "pages");
	CHECK_EQ(nb, 113872);
	CHECK_EQ(nt, 113872);
	size_t diff = 0;
	for (size_t i = 0; b && t && i < nb && i < nt; i++)
		diff += b[i].vaddr != t[i].vaddr || b[i].kind != REF_READ;
	CHECK_EQ(diff, 0);
	if (b)
		CHECK_EQ(b[0].vaddr, 42932745);
	free(b);
	free(t);
}

TEST(wl_oracle_general_truncated_record)
{
	size_t len;
	unsigned char *data = wlt_read_file(CP_BIN, &len);
	struct error err = { 0 };

	CHECK(data != NULL);
	if (!data)
		return;
	CHECK_EQ(len, 113872 * 24);
	struct workload *w = wlt_open_mem(data, 3 * 24 + 5, "cp.bin", NULL, &err);
	struct wl_ref *r;
	size_t n;
	CHECK(w != NULL);
	if (w) {
		CHECK_STR(w->ops->name, "oracle-general");
		CHECK_EQ(wlt_read_all(w, 2, &r, &n, &err), ERR_INPUT);
		CHECK_EQ(n, 3);
		CHECK_STR(err.msg, "cp.bin: record 3 at byte offset 72 is "
			  "truncated: the file ends after 5 of its 24 bytes");
		free(r);
		workload_close(w);
	}
	free(data);
}

TEST(wl_oracle_general_writer_reproduces_next_access_vtime)
{
	const char *path = wlt_tmpname(".bin");
	size_t nt, len, orig_len;
	const char *ft;
	struct wl_ref *t = read_spec(CP_TXT, &nt, &ft);
	struct wl_writer_options o = { .unit = WL_UNIT_PAGES };
	struct wl_writer *w;
	struct error err = { 0 };

	if (!t)
		return;
	CHECK_EQ(wl_writer_open("oracle-general", path, &o, &w, &err), 0);
	CHECK_EQ(wl_writer_put(w, t, nt, &err), 0);
	CHECK_EQ(wl_writer_close(w, 0, &err), 0);
	unsigned char *mine = wlt_read_file(path, &len);
	unsigned char *orig = wlt_read_file(CP_BIN, &orig_len);
	CHECK_EQ(len, orig_len);
	size_t diff = 0;
	for (size_t i = 0; mine && orig && i < nt && (i + 1) * 24 <= len; i++)
		diff += memcmp(mine + i * 24 + 4, orig + i * 24 + 4, 8) != 0 ||
			memcmp(mine + i * 24 + 16, orig + i * 24 + 16, 8) != 0;
	CHECK_EQ(diff, 0); /* obj_id and next_access_vtime agree */
	free(mine);
	free(orig);
	free(t);
	remove(path);
}
