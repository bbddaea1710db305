/*
 * trace_json.h - a streaming writer of Chrome Trace Event Format JSON
 * (-trace-json FILE), the file ui.perfetto.dev and chrome://tracing open.
 *
 * One process; tracks (threads) 0..TJSON_MAX_TRACKS-1 named by the caller.
 * Each track has at most one open slice: tjson__begin opens it (ending
 * the one that was open), tjson__end ends it, possibly renaming it - a
 * slice is written as one complete ("X") event when it ends, so that its
 * name can be what ended it.  Instant events that happen while a slice is
 * open are held back until the slice is written, so on every track the
 * events appear with non-decreasing timestamps.  Nothing else is kept in
 * memory.  Times are given in nanoseconds and written in microseconds.
 */
#ifndef HVSIM_TRACE_JSON_H
#define HVSIM_TRACE_JSON_H

#include <stdint.h>

#define TJSON_MAX_TRACKS 32

struct tjson;

/* The -trace-json file of this run, or NULL: event sources test it
 * first, so that without the option an event costs one branch. */
extern struct tjson *tjson_out;

/* Creates path and writes the process name; NULL with errno set. */
struct tjson *tjson__open(const char *path, const char *process_name);
/* Ends the open slices at the latest time seen, closes the JSON array
 * and the file, frees w.  0, or -1 if a write failed. */
int tjson__close(struct tjson *w);
/* tjson_out = tjson__open(path, process_name), closed by exit() or a
 * return from main whichever way the run ends.  0 or -1 (errno). */
int tjson__start(const char *path, const char *process_name);

/* Names a track; sort_index orders the tracks in the viewer. */
void tjson__track(struct tjson *w, unsigned track, const char *name,
		  int sort_index);
/* Opens a slice; a no-op if a slice of that name is already open. */
void tjson__begin(struct tjson *w, unsigned track, uint64_t ns,
		  const char *cat, const char *name);
/* Ends the open slice (if any) at ns; name (if not NULL) replaces the
 * name it was opened with, detail (if not NULL) becomes args.detail. */
void tjson__end(struct tjson *w, unsigned track, uint64_t ns,
		const char *name, const char *detail);
void tjson__instant(struct tjson *w, unsigned track, uint64_t ns,
		    const char *cat, const char *name);

#endif
