"""Where a public page spends its time: `python -m bench.profile ADDRESS [ADDRESS ...] [--requests N]`.

Serves the addresses in this process (Flask's test client, no waitress) from the large data
folder that `make bench` generated, under cProfile, and prints the functions that took the
most time. cProfile slows small, frequent calls down more than others: compare figures with
each other, not with section 5 of the results.
"""
import argparse
import cProfile
import io
import os
import pstats
import sys
import time

from redpinar import create_app

from . import OUTPUT_DIR

WARM_UP_REQUESTS = 3
HEADERS = {"Accept-Encoding": "gzip", "Accept-Language": "es"}


def profile(client, address, requests, lines):
    """Time `requests` GETs of address without the profiler, then profile as many; print both."""
    for _ in range(WARM_UP_REQUESTS):
        client.get(address, headers=HEADERS)
    started = time.perf_counter()
    for _ in range(requests):
        status = client.get(address, headers=HEADERS).status_code
    alone_ms = (time.perf_counter() - started) / requests * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(address, headers=HEADERS)
    profiler.disable()
    report = io.StringIO()
    statistics = pstats.Stats(profiler, stream=report)
    for order in ("cumulative", "tottime"):
        statistics.sort_stats(order).print_stats(lines)
    print(f"{address}: status {status}, {alone_ms:.2f} ms a request without the profiler "
          f"(mean of {requests}); profile of {requests} more, by cumulative then own time:")
    print(report.getvalue())


def main(argv=None):
    """Profile each address given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("addresses", nargs="+", help="like / or '/buscar?q=tramite'")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--lines", type=int, default=30, help="functions listed in each ordering")
    parser.add_argument("--data", default=os.path.join(OUTPUT_DIR, "large-data"))
    arguments = parser.parse_args(argv)
    if not os.path.isfile(os.path.join(arguments.data, "site.json")):
        sys.exit(f"{arguments.data} holds no province; run `make bench` first to generate it.")
    client = create_app({"DATA_DIR": arguments.data, "RATE_LIMITS": False}).test_client()
    for address in arguments.addresses:
        profile(client, address, max(1, arguments.requests), arguments.lines)


if __name__ == "__main__":
    main()
