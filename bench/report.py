"""The results as Markdown: printed by `make bench` and saved to bench/output/results.md."""
from . import median_and_p95
from .pages import ALONE_REQUESTS

INSERT_GOAL = 1.5
MEBIBYTE = 1024 * 1024


def table(headers, rows, align=None):
    """A Markdown table; align holds one letter per column, l or r (default: first left, the rest right)."""
    align = align or "l" + "r" * (len(headers) - 1)
    lines = ["| " + " | ".join(headers) + " |", "|" + "".join(" ---: |" if a == "r" else " --- |" for a in align)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def ms(value):
    """A duration in milliseconds, with the precision that matters at its size."""
    if value is None:
        return "–"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 10 else f"{value:.1f}"


def ratio(large, empty):
    """large ÷ empty as text like 1.07×."""
    return f"{large / empty:.2f}×" if large is not None and empty else "–"


def heading(results):
    """Title, when and where, and what the large data folder holds."""
    manifest = results["manifest"]
    counts = manifest["counts"]
    origin = (f"reused, generated {manifest['generated']} in {manifest['seconds']} s" if manifest["reused"]
              else f"generated in this run in {manifest['seconds']} s")
    return (
        "# RedPinar benchmark results\n\n"
        f"Measured {results['measured']} on {results['machine']}; the whole run took {results['seconds']:.0f} s.\n\n"
        f"Large data folder `bench/output/large-data` (seed {manifest['seed']}; {origin}): the Pinar del Río "
        f"example plus {counts['news']:,} news, {counts['procedures']:,} procedures, {counts['entities']:,} "
        f"entities, {counts['events']:,} events and {counts['submissions']:,} citizen submissions spread over "
        f"the 24 months ending {manifest['month']}."
    )


def inserts_section(store):
    """Section 1: the cost of saving a submission, empty folder against large folder."""
    empty, large = (median_and_p95(store["inserts"][name]) for name in ("empty", "large"))
    rows = [
        ("Empty (the example province only)", 0, len(store["inserts"]["empty"]), ms(empty[0]), ms(empty[1])),
        ("Copy of the large folder", f"{store['earlier_in_copy']:,}", len(store["inserts"]["large"]),
         ms(large[0]), ms(large[1])),
        ("**Large ÷ empty**", "", "", f"**{ratio(large[0], empty[0])}**", f"**{ratio(large[1], empty[1])}**"),
    ]
    median_ratio = large[0] / empty[0]
    if median_ratio <= INSERT_GOAL:
        verdict = f"**met** ({median_ratio:.2f}× at the median, {ratio(large[1], empty[1])} at p95)"
    else:
        verdict = (f"**not met**: {median_ratio:.2f}× at the median, "
                   f"{median_ratio / INSERT_GOAL - 1:.0%} over the goal")
    return (
        "## 1. Saving a submission (`save_submission`)\n\n"
        + table(["Data folder", "Earlier submissions", "Inserts", "Median (ms)", "p95 (ms)"], rows)
        + f"\n\nGoal: with {store['earlier_in_copy']:,} earlier submissions, saving one costs at most "
        f"{INSERT_GOAL}× what it costs in an empty folder (median): {verdict}. Both folders received "
        "their inserts in turns, all in the current month, each one written and fsync'd."
    )


def _read_rows(label, lookups):
    first, known, unknown = lookups["first"], lookups["known"], lookups["unknown"]
    return [
        ("`get_submission(code)`, first lookup in this folder", label, 1, ms(first["ms"]), "–", first["parsed"]),
        ("`get_submission(code)`, known codes at random", label, len(known), *map(ms, median_and_p95(known)),
         lookups["known_parsed"]),
        ("`get_submission(code)`, unknown code (NotFound)", label, len(unknown),
         *map(ms, median_and_p95(unknown)), lookups["unknown_parsed"]),
    ]


def reads_section(store):
    """Section 2: lookups by tracking code and reads of unchanged content, with the files they parsed."""
    news = store["content"]
    large_label = f"large ({store['lookups_large']['files']:,} files)"
    rows = _read_rows(f"empty ({store['lookups_empty']['files']} files)", store["lookups_empty"])
    rows += _read_rows(large_label, store["lookups_large"])
    rows += [
        ('`all_documents("news")`, first call of the process', "large", 1, ms(news["first"]["ms"]), "–",
         news["first"]["parsed"]),
        (f'`all_documents("news")`, all {news["count"]:,} news', "large", len(news["all"]),
         *map(ms, median_and_p95(news["all"])), "0 (see below)"),
        ('`get_document("news", id)`, ids at random', "large", len(news["one"]),
         *map(ms, median_and_p95(news["one"])), "0 (see below)"),
    ]
    unchanged_reads = len(news["all"]) + len(news["one"])
    first_large = store["lookups_large"]["first"]
    proof = ("**no file was re-read**" if news["parsed"] == 0 and store["lookups_large"]["known_parsed"] == 0
             else "**FAILED: unchanged files were parsed again**")
    return (
        "## 2. Reading\n\n"
        + table(["Read", "Data folder", "Calls", "Median (ms)", "p95 (ms)", "Files parsed during the calls"], rows,
                align="llrrrr")
        + f"\n\n`db.parse_count` of `content/news.json` ({news['size'] / MEBIBYTE:.1f} MiB) went up by "
        f"{news['parsed']} over {unchanged_reads:,} reads of unchanged news, and the submission files' counts by "
        f"{store['lookups_large']['known_parsed']} when the same {len(store['lookups_large']['known']):,} "
        f"lookups were made a second time: {proof}. A process parses each file once, on first use (the first "
        f"pass of those lookups parsed {store['lookups_large']['first_pass_parsed']:,} files). In the large folder, "
        "as in a server just started, the first lookup by code read every submission file once for its codes "
        f"alone (nothing of them kept): {ms(first_large['ms'])} ms, {first_large['memory_mib']:.0f} MiB more "
        "memory after it. In the empty folder the codes had just been saved by this process, so they were "
        "indexed already."
    )


def server_section(server):
    """Section 3: the memory of `python app.py` on the large folder, before and after some traffic."""
    traffic = server["traffic"]
    statuses = ", ".join(f"{status}: {count}" for status, count in traffic["statuses"].items())
    rows = [
        ("Answered its first request after", f"{server['start_seconds']:.1f} s"),
        ("Resident memory after start (VmRSS)", f"{server['memory_at_start']['VmRSS']:.1f} MiB"),
        ("Requests sent", f"{traffic['requests']} (every other one the home page)"),
        ("Answers by status", statuses),
        ("Home page, median / p95", f"{ms(traffic['home_ms'][0])} / {ms(traffic['home_ms'][1])} ms"),
        ("All requests, median / p95", f"{ms(traffic['all_ms'][0])} / {ms(traffic['all_ms'][1])} ms"),
        ("Slowest request", f"{ms(traffic['slowest'][0])} ms (`{traffic['slowest'][1]}`)"),
        ("Resident memory after the requests (VmRSS)", f"{server['memory_after']['VmRSS']:.1f} MiB"),
        ("Peak resident memory (VmHWM)", f"{server['memory_after']['VmHWM']:.1f} MiB"),
    ]
    unexpected = "".join(f"\n- `{path}` answered {status}" for path, status in traffic["unexpected"].items())
    return (
        "## 3. The server's memory\n\n"
        + table(["Measure", "Value"], rows, align="ll")
        + "\n\nAddresses requested: " + ", ".join(f"`{address}`" for address in server["addresses"]) + "."
        + (f"\n\nUnexpected answers (anything but 200, and 404 for the missing page):{unexpected}"
           if unexpected else "")
    )


def weight_section(server):
    """Section 4: the bytes of a first visit to the home page."""
    files = server["weight"]
    rows = [(f"`{row['path']}`", row["kind"], f"{row['bytes']:,}", f"{row['sent']:,}", row["encoding"])
            for row in files]
    rows.append(("**First visit**", "", f"**{sum(row['bytes'] for row in files):,}**",
                 f"**{sum(row['sent'] for row in files):,}**", ""))
    return (
        "## 4. The home page's weight\n\n"
        + table(["File", "Kind", "Uncompressed (bytes)", "Sent with gzip (bytes)", "Encoding"], rows, align="llrrl")
        + "\n\nBody bytes only (HTTP headers not counted), for a browser that sends `Accept-Encoding: gzip` "
        "and has nothing cached; the HTML and every stylesheet, icon, image or script it refers to "
        "(and files the stylesheets refer to)."
    )


def _verdict(page, goal_ms):
    load = page["load"]
    if "error" in load:
        return "not measured"
    return "met" if load["median_ms"] < goal_ms and not load["errors"] else "**not met**"


def _load_row(page, goal_ms, goal=True):
    load = page["load"]
    if "error" in load:
        return (page["what"], f"`{page['path']}`", f"not measured: {load['error']}", "", "", "", "")
    return (page["what"], f"`{page['path']}`", f"{load['per_second']:.0f}", ms(load["median_ms"]),
            ms(load["p95_ms"]), f"{load['errors']:,}", _verdict(page, goal_ms) if goal else "–")


def _alone_row(page):
    statuses = ", ".join(str(status) for status in page["statuses"])
    answered = "yes" if page["not_modified"] else (
        f"**no** ({page['second_status']}, {page['second_bytes']} bytes)" if page["etag"] else "**no** (no ETag)")
    return (page["what"], statuses, ms(page["first_ms"]), ms(page["alone_ms"]),
            f"{page['gzip_bytes']:,}" if page["encoding"] == "gzip" else f"{page['gzip_bytes']:,} (not gzipped)",
            answered)


def pages_section(pages):
    """Section 5: the public pages under wrk, their revalidation with ETags, and the search index build."""
    index = pages["index"]
    builds = index["builds_ms"]
    documents = ", ".join(f"{count:,} {kind}" for kind, count in index["documents"].items() if count)
    index_text = (f"Search index: {sum(index['documents'].values()):,} documents ({documents}), built in "
                  f"{ms(median_and_p95(builds)[0])} ms (median of {len(builds)} builds in one process, "
                  f"{ms(min(builds))}–{ms(max(builds))} ms; content files already read).")
    if "skipped" in pages:
        return f"## 5. The public pages under load\n\nNot measured: {pages['skipped']}.\n\n{index_text}"
    goal_ms, connections = pages["goal_ms"], pages["connections"]
    load_rows = [_load_row(page, goal_ms) for page in pages["pages"]]
    load_rows.append(_load_row(pages["floor"], goal_ms, goal=False))
    missed = [page for page in pages["pages"] if _verdict(page, goal_ms) != "met"]
    if missed:
        verdict = (f"**not met** by {len(missed)} of {len(pages['pages'])} pages: "
                   + ", ".join(f"{page['what']} ({_verdict_figure(page)})" for page in missed) + ".")
    else:
        verdict = f"**met** by all {len(pages['pages'])} pages."
    alone_rows = [_alone_row(page) for page in pages["pages"] + [pages["floor"]]]
    return (
        "## 5. The public pages under load\n\n"
        + table(["Page", "Address", "Requests/s", "Median (ms)", "p95 (ms)", "Errors", f"< {goal_ms} ms"],
                load_rows, align="llrrrrl")
        + f"\n\nwrk, {connections} keep-alive connections for {pages['seconds']} s per page, "
        f"`Accept-Encoding: gzip`, rate limits off, load average {pages['load_average']:.1f} when the section "
        "began; errors are socket errors, timeouts and answers other than "
        f"2xx/3xx. Goal: every page under {goal_ms} ms median at {connections} connections: {verdict} "
        f"With {connections} connections always waiting, the mean time is {connections} ÷ requests per second "
        f"(Little's law), so the goal needs about {connections * 1000 / goal_ms:.0f} requests/s.\n\n"
        + table(["Page", "Statuses", "First request (ms)", f"Then, median of {ALONE_REQUESTS} (ms)",
                 "200 gzipped (bytes)", "If-None-Match → empty 304"], alone_rows, align="llrrrl")
        + "\n\nOne request at a time, every page before any load: the page's first request since the server "
        f"started, then {ALONE_REQUESTS} more; then once more with `If-None-Match` set to its ETag. "
        f"Server memory after all of it: {pages['memory']['VmRSS']:.1f} MiB (peak "
        f"{pages['memory']['VmHWM']:.1f} MiB).\n\n" + index_text
    )


def _verdict_figure(page):
    load = page["load"]
    return load["error"] if "error" in load else f"{ms(load['median_ms'])} ms"


def results_markdown(results):
    """The whole results document."""
    sections = [heading(results), inserts_section(results["store"]), reads_section(results["store"]),
                server_section(results["server"]), weight_section(results["server"]),
                pages_section(results["pages"])]
    return "\n\n".join(sections) + "\n"
