/*
 * trace_json.c - the Chrome Trace Event Format writer (trace_json.h).
 *
 * The file is a JSON array with one event per line.  Slices are complete
 * ("X") events written when they end; instants ("i", thread scope) that
 * arrive while their track has a slice open wait in that track's small
 * list and follow the slice, so each track's events are in time order.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvsim/trace_json.h"

#define PID 1

struct tjson_instant {
	uint64_t ns;
	char cat[16];
	char name[48];
};

struct tjson_track {
	bool open;
	uint64_t start;
	char cat[16];
	char name[96];
	struct tjson_instant *held;	/* instants inside the open slice */
	size_t nheld, cap;
};

struct tjson {
	FILE *f;
	bool first;			/* no event written yet */
	bool failed;			/* out of memory for held instants */
	uint64_t last_ns;		/* latest time seen */
	struct tjson_track tracks[TJSON_MAX_TRACKS];
};

struct tjson *tjson_out;

static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Microseconds with the nanoseconds as three decimals. */
static void put_us(FILE *f, const char *key, uint64_t ns)
{
	fprintf(f, ",\"%s\":%" PRIu64 ".%03u", key, ns / 1000,
		(unsigned)(ns % 1000));
}

/* The fields every event has; the caller adds the rest and the '}'. */
static void event_head(struct tjson *w, const char *ph, unsigned tid,
		       uint64_t ns, const char *cat, const char *name)
{
	fputs(w->first ? "\n{" : ",\n{", w->f);
	w->first = false;
	fprintf(w->f, "\"ph\":\"%s\"", ph);
	put_us(w->f, "ts", ns);
	fprintf(w->f, ",\"pid\":%d,\"tid\":%u,\"name\":", PID, tid);
	put_str(w->f, name);
	if (cat) {
		fputs(",\"cat\":", w->f);
		put_str(w->f, cat);
	}
}

static void metadata(struct tjson *w, unsigned tid, const char *what,
		     const char *key, const char *str, int num)
{
	event_head(w, "M", tid, 0, NULL, what);
	fprintf(w->f, ",\"args\":{\"%s\":", key);
	if (str)
		put_str(w->f, str);
	else
		fprintf(w->f, "%d", num);
	fputs("}}", w->f);
}

static void write_instant(struct tjson *w, unsigned tid, uint64_t ns,
			  const char *cat, const char *name)
{
	event_head(w, "i", tid, ns, cat, name);
	fputs(",\"s\":\"t\"}", w->f);
}

static void see(struct tjson *w, uint64_t ns)
{
	if (ns > w->last_ns)
		w->last_ns = ns;
}

struct tjson *tjson__open(const char *path, const char *process_name)
{
	struct tjson *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->f = fopen(path, "w");
	if (!w->f) {
		free(w);
		return NULL;
	}
	w->first = true;
	fputc('[', w->f);
	metadata(w, 0, "process_name", "name", process_name, 0);
	return w;
}

void tjson__track(struct tjson *w, unsigned track, const char *name,
		  int sort_index)
{
	if (track >= TJSON_MAX_TRACKS)
		return;
	metadata(w, track, "thread_name", "name", name, 0);
	metadata(w, track, "thread_sort_index", "sort_index", NULL,
		 sort_index);
}

void tjson__end(struct tjson *w, unsigned track, uint64_t ns,
		const char *name, const char *detail)
{
	struct tjson_track *t;
	size_t i;

	if (track >= TJSON_MAX_TRACKS || !w->tracks[track].open)
		return;
	t = &w->tracks[track];
	see(w, ns);
	event_head(w, "X", track, t->start, t->cat, name ? name : t->name);
	put_us(w->f, "dur", ns - t->start);
	if (detail) {
		fputs(",\"args\":{\"detail\":", w->f);
		put_str(w->f, detail);
		fputc('}', w->f);
	}
	fputc('}', w->f);
	t->open = false;
	for (i = 0; i < t->nheld; i++)
		write_instant(w, track, t->held[i].ns, t->held[i].cat,
			      t->held[i].name);
	t->nheld = 0;
}

void tjson__begin(struct tjson *w, unsigned track, uint64_t ns,
		  const char *cat, const char *name)
{
	struct tjson_track *t;

	if (track >= TJSON_MAX_TRACKS)
		return;
	t = &w->tracks[track];
	if (t->open && !strcmp(t->name, name))
		return;
	tjson__end(w, track, ns, NULL, NULL);
	see(w, ns);
	t->open = true;
	t->start = ns;
	snprintf(t->cat, sizeof(t->cat), "%s", cat);
	snprintf(t->name, sizeof(t->name), "%s", name);
}

void tjson__instant(struct tjson *w, unsigned track, uint64_t ns,
		    const char *cat, const char *name)
{
	struct tjson_track *t;
	struct tjson_instant *in;

	if (track >= TJSON_MAX_TRACKS)
		return;
	t = &w->tracks[track];
	see(w, ns);
	if (!t->open) {
		write_instant(w, track, ns, cat, name);
		return;
	}
	if (t->nheld == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 8;
		void *p = realloc(t->held, cap * sizeof(*t->held));

		if (!p) {
			w->failed = true;
			return;
		}
		t->held = p;
		t->cap = cap;
	}
	in = &t->held[t->nheld++];
	in->ns = ns;
	snprintf(in->cat, sizeof(in->cat), "%s", cat);
	snprintf(in->name, sizeof(in->name), "%s", name);
}

int tjson__close(struct tjson *w)
{
	unsigned i;
	int r;

	if (!w)
		return 0;
	for (i = 0; i < TJSON_MAX_TRACKS; i++) {
		tjson__end(w, i, w->last_ns, NULL, NULL);
		free(w->tracks[i].held);
	}
	fputs("\n]\n", w->f);
	r = ferror(w->f) || w->failed ? -1 : 0;
	if (fclose(w->f))
		r = -1;
	free(w);
	return r;
}

static void close_at_exit(void)
{
	if (tjson__close(tjson_out) < 0)
		fprintf(stderr, "hvsim: -trace-json: write error\n");
	tjson_out = NULL;
}

int tjson__start(const char *path, const char *process_name)
{
	tjson_out = tjson__open(path, process_name);
	if (!tjson_out)
		return -1;
	return atexit(close_at_exit) ? -1 : 0;
}
