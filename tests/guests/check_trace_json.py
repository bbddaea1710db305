#!/usr/bin/env python3
"""check_trace_json.py - checks a -trace-json file of an ExtINT guest.

usage: check_trace_json.py TRACE.json

The file must parse as a JSON array of Chrome trace events, each with
ph/ts/pid/tid/name; process "hvsim VM" with tracks "APICv" and "vcpu0";
on every track the events in time order and the slices not overlapping;
vcpu0 with guest slices named by exit reason and host slices; the APICv
track with an "APICv inhibited: IRQWIN" slice; ExtINT instants on vcpu0.
Prints what it found, exits 1 with the reasons on failure.
"""
import json
import sys


def main(path):
    with open(path) as f:
        events = json.load(f)
    bad = []
    if not isinstance(events, list):
        sys.exit(f"{path}: not a JSON array")
    for e in events:
        missing = [k for k in ("ph", "ts", "pid", "tid", "name") if k not in e]
        if missing:
            bad.append(f"event without {missing}: {e}")
    meta = [e for e in events if e.get("ph") == "M"]
    procs = [e["args"]["name"] for e in meta if e["name"] == "process_name"]
    tracks = {e["args"]["name"]: e["tid"] for e in meta
              if e["name"] == "thread_name"}
    if procs != ["hvsim VM"]:
        bad.append(f"process names {procs}, expected ['hvsim VM']")
    for t in ("APICv", "vcpu0"):
        if t not in tracks:
            bad.append(f"no track {t} (tracks: {sorted(tracks)})")
    if bad:
        sys.exit("\n".join(bad))

    end = {}    # tid -> end of the last slice, in ns
    last = {}   # tid -> last timestamp, in ns
    for e in events:
        if e["ph"] == "M":
            continue
        ts = round(e["ts"] * 1000)
        tid = e["tid"]
        if ts < last.get(tid, 0):
            bad.append(f"tid {tid}: time goes back: {e}")
        last[tid] = ts
        if e["ph"] == "X":
            if ts < end.get(tid, 0):
                bad.append(f"tid {tid}: slices overlap: {e}")
            end[tid] = ts + round(e["dur"] * 1000)
        elif e["ph"] != "i":
            bad.append(f"unexpected phase: {e}")

    def on(track, ph, cat=None):
        return [e for e in events if e["tid"] == tracks[track]
                and e["ph"] == ph and (cat is None or e.get("cat") == cat)]

    guest = on("vcpu0", "X", "guest")
    host = on("vcpu0", "X", "host")
    apicv = {e["name"] for e in on("APICv", "X")}
    extint = [e for e in on("vcpu0", "i") if e["name"].startswith("ExtINT vec 0x")]
    reasons = sorted({e["name"] for e in guest})
    if not {"IOIO", "VINTR"} <= set(reasons):
        bad.append(f"vcpu0 guest slices named {reasons}: no IOIO/VINTR")
    if not host:
        bad.append("no host slices on vcpu0")
    if "APICv inhibited: IRQWIN" not in apicv or "APICv active" not in apicv:
        bad.append(f"APICv slices {sorted(apicv)}")
    if not extint:
        bad.append("no ExtINT instants on vcpu0")
    print(f"{path}: {len(events)} events; vcpu0: {len(guest)} guest slices "
          f"({', '.join(reasons)}), {len(host)} host slices, "
          f"{len(extint)} ExtINT instants; APICv: {sorted(apicv)}")
    if bad:
        sys.exit("\n".join(bad[:20]))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
