#!/usr/bin/env python3
"""Summarises a bench/run.sh results file: min/median per variant, ratio per pair, goals.

usage: summarize.py RESULTS.tsv NOTES.tsv [--scaling "2G 8G" | --params]
RESULTS columns: phase variant rep wall_s maxrss_kib user_s sys_s load1 (rep 0 = warm-up).
"""
import statistics
import sys


def load(results_path, notes_path):
    rows = []
    with open(results_path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 8:
                continue
            rows.append(
                dict(phase=p[0], variant=p[1], rep=int(p[2]), wall=float(p[3]),
                     rss=int(p[4]), cpu=float(p[5]) + float(p[6]), load=float(p[7])))
    notes = {}
    with open(notes_path) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("\t")
            notes[k] = v
    return rows, notes


def timed(rows, phase, variant):
    return [r for r in rows if r["phase"] == phase and r["variant"] == variant and r["rep"] > 0]


def mib(kib):
    return kib / 1024.0


def table(rows, phase, variants):
    print("%-22s %4s %9s %9s %10s %12s" % ("variant", "runs", "wall min", "median", "cpu median", "peak RSS med"))
    for v in variants:
        rs = timed(rows, phase, v)
        if not rs:
            continue
        walls = [r["wall"] for r in rs]
        print("%-22s %4d %8.2fs %8.2fs %9.2fs %9.0f MiB" % (
            v, len(rs), min(walls), statistics.median(walls),
            statistics.median([r["cpu"] for r in rs]),
            statistics.median([mib(r["rss"]) for r in rs])))


def pair_ratio(rows, phase, cand, base):
    """Ratios cand/base per repetition (same rep number), their median, and the ratio of medians."""
    c = {r["rep"]: r["wall"] for r in timed(rows, phase, cand)}
    b = {r["rep"]: r["wall"] for r in timed(rows, phase, base)}
    reps = sorted(set(c) & set(b))
    if not reps:
        return None
    ratios = [c[k] / b[k] for k in reps]
    med = statistics.median(ratios)
    of_medians = statistics.median(c.values()) / statistics.median(b.values())
    return ratios, med, of_medians


def cpu_ratio(rows, phase, cand, base):
    c = [r["cpu"] for r in timed(rows, phase, cand)]
    b = [r["cpu"] for r in timed(rows, phase, base)]
    if c and b:
        print("%-44s median %.2f (CPU-seconds, user+sys; %.0f vs %.0f MB of tar per CPU-second)" % (
            "cpu chainsnap / %s" % base, statistics.median(c) / statistics.median(b),
            TAR_BYTES[0] / 1e6 / statistics.median(c), TAR_BYTES[0] / 1e6 / statistics.median(b)))


TAR_BYTES = [0]


def verdict(ok):
    return "MET" if ok else "NOT MET"


def print_ratio(rows, phase, cand, base, goal=None, label=None):
    r = pair_ratio(rows, phase, cand, base)
    if r is None:
        return None
    ratios, med, of_medians = r
    text = "%-44s per pair %s -> median %.3f (ratio of medians %.3f)" % (
        label or ("%s / %s" % (cand, base)), " ".join("%.3f" % x for x in ratios), med, of_medians)
    if goal is not None:
        text += "  goal <= %.2f: %s" % (goal, verdict(med <= goal))
    print(text)
    return med


def archive_summary(rows, notes):
    print()
    print("===================== SUMMARY (medians; ratios from the same run) =====================")
    files = notes.get("file_count")
    TAR_BYTES[0] = int(notes.get("tar_size", "0"))
    content = int(notes.get("content_size", "0"))
    print("corpus: %s files, %.2f GiB of file data; tar %s bytes" % (
        files, content / 2**30, notes.get("tar_size")))
    print()
    print("-- create --")
    table(rows, "create", ["tar-zstd", "tar-zstd+sync", "tar-zstd+sha256", "chainsnap-level3", "chainsnap"])
    print_ratio(rows, "create", "chainsnap", "tar-zstd", 1.0, "wall chainsnap / tar|zstd -T0 -3")
    print_ratio(rows, "create", "chainsnap", "tar-zstd+sync", None,
                "wall chainsnap / tar|zstd + sync (both fsync)")
    print_ratio(rows, "create", "chainsnap", "tar-zstd+sha256", None,
                "wall chainsnap / tar|zstd|tee|sha256sum (both give a checksum)")
    print_ratio(rows, "create", "chainsnap", "chainsnap-level3", None,
                "wall chainsnap / chainsnap --level 3 (params)")
    cpu_ratio(rows, "create", "chainsnap", "tar-zstd")
    cpu_ratio(rows, "create", "chainsnap", "chainsnap-level3")
    ours = int(notes.get("ours_compressed", "0"))
    base = int(notes.get("base_compressed", "0"))
    if ours and base:
        ratio = ours / base
        print("compressed size: chainsnap %d B, zstd -3 %d B -> ratio %.4f (%+.2f%%)  goal at most 2%% larger: %s" % (
            ours, base, ratio, (ratio - 1) * 100, verdict(ratio <= 1.02)))
        level3 = int(notes.get("level3_compressed", "0"))
        if level3:
            print("compressed size: chainsnap --level 3 %d B -> ratio to zstd -3 %.4f" % (level3, level3 / base))
        print("compression ratio (tar bytes / archive bytes): chainsnap %.3f, zstd -3 %.3f; %s chunks" % (
            int(notes.get("tar_size", "0")) / ours, int(notes.get("tar_size", "0")) / base,
            notes.get("chunks")))
    print()
    print("-- restore --")
    table(rows, "restore", ["curl-sha-tar", "curl-pipe-tar", "curl-pipe-tar+sync", "chainsnap"])
    print_ratio(rows, "restore", "chainsnap", "curl-sha-tar", 0.6,
                "wall chainsnap / curl -o + sha256sum + tar")
    print_ratio(rows, "restore", "chainsnap", "curl-pipe-tar", 1.0,
                "wall chainsnap / curl | tar (unverified)")
    print_ratio(rows, "restore", "chainsnap", "curl-pipe-tar+sync", None,
                "wall chainsnap / curl | tar && sync -f (both durable)")
    cpu_ratio(rows, "restore", "chainsnap", "curl-pipe-tar")
    if ours:
        peaks = [int(v) for k, v in notes.items() if k.startswith("extra_peak_chainsnap_")]
        peak = max(peaks) if peaks else 0
        dl = int(notes.get("base_download_bytes", "0"))
        print("extra disk during restore: curl+sha+tar %d B (%.0f%% of the archive); chainsnap 0 archive"
              " bytes, journal/marker files peak %d B (%.3f%% of the archive)  goal <= 5%%: %s" % (
                  dl, 100.0 * dl / ours, peak, 100.0 * peak / ours, verdict(peak <= 0.05 * ours)))
        corpus = int(notes.get("corpus_bytes", "0"))
        for v in ["curl-sha-tar", "curl-pipe-tar", "curl-pipe-tar+sync", "chainsnap"]:
            after = notes.get("after_bytes_" + v)
            if after and corpus:
                print("  after %-20s du -sb dest = %d B (corpus %d B, difference %+d B)" % (
                    v, int(after), corpus, int(after) - corpus))
    loads = [r["load"] for r in rows if r["rep"] > 0]
    if loads:
        print("load average (1 min) during timed runs: min %.2f, median %.2f, max %.2f" % (
            min(loads), statistics.median(loads), max(loads)))


def scaling_summary(rows, notes, sizes):
    print()
    print("===================== PEAK RSS vs DATA SIZE (chainsnap, one run each) =====================")
    print("%-6s %12s %14s %12s %12s %12s" % ("size", "content GiB", "archive GiB", "create RSS", "restore RSS",
                                             "create wall"))
    found = []
    for s in sizes:
        c = [r for r in rows if r["phase"] == "rss-" + s and r["variant"] == "create"]
        rr = [r for r in rows if r["phase"] == "rss-" + s and r["variant"] == "restore"]
        if not c or not rr:
            continue
        found.append((s, c[0]["rss"], rr[0]["rss"]))
        print("%-6s %12.2f %14.2f %8.0f MiB %8.0f MiB %10.1f s" % (
            s, int(notes.get("scale_content_" + s, "0")) / 2**30,
            int(notes.get("scale_compressed_" + s, "0")) / 2**30,
            mib(c[0]["rss"]), mib(rr[0]["rss"]), c[0]["wall"]))
    if len(found) >= 2:
        (s0, c0, r0), (s1, c1, r1) = found[0], found[-1]
        ok = c1 <= c0 * 1.25 and r1 <= r0 * 1.25
        print("growth %s -> %s: create x%.2f, restore x%.2f (goal: does not grow with size, within 25%%"
              " run-to-run noise): %s" % (s0, s1, c1 / c0, r1 / r0, verdict(ok)))


def params_summary(rows, notes):
    print()
    print("===================== zstd -3 vs zstd -3 --zstd=PARAMS, one thread (medians) =====================")
    print("%-8s %9s %11s %11s %9s %13s %13s %10s" % (
        "data", "tar MB", "cpu -3", "cpu params", "cpu ratio", "size -3", "size params", "size ratio"))
    for data in ["corpus", "txchain", "jdk"]:
        phase = "params-" + data
        plain = {r["rep"]: r["cpu"] for r in timed(rows, phase, "zstd-3")}
        tuned = {r["rep"]: r["cpu"] for r in timed(rows, phase, "zstd-3-params")}
        reps = sorted(set(plain) & set(tuned))
        s_plain = int(notes.get("params_size_%s_zstd-3" % data, "0"))
        s_tuned = int(notes.get("params_size_%s_zstd-3-params" % data, "0"))
        if not reps or not s_plain:
            continue
        print("%-8s %9.1f %10.2fs %10.2fs %9.3f %13d %13d %10.4f" % (
            data, int(notes.get("params_tar_" + data, "0")) / 1e6,
            statistics.median(plain.values()), statistics.median(tuned.values()),
            statistics.median([tuned[k] / plain[k] for k in reps]), s_plain, s_tuned, s_tuned / s_plain))
    print("cpu ratio: median of the per-pair ratios of CPU seconds (params / plain); size ratio: params / plain")


def main(argv):
    rows, notes = load(argv[1], argv[2])
    if len(argv) > 3 and argv[3] == "--params":
        params_summary(rows, notes)
    elif len(argv) > 4 and argv[3] == "--scaling":
        scaling_summary(rows, notes, argv[4].split())
    else:
        archive_summary(rows, notes)


if __name__ == "__main__":
    main(sys.argv)
