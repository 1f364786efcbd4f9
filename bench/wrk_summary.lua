-- `wrk -s bench/wrk_summary.lua`: ask like a browser, then print one line that bench/pages.py reads.
-- wrk's own report rounds and changes units (us, ms, s); this line is always whole microseconds.
wrk.headers["Accept-Encoding"] = "gzip"
wrk.headers["Accept-Language"] = "es"

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "REDPINAR-WRK requests=%.0f duration_us=%.0f bytes=%.0f p50_us=%.0f p95_us=%.0f max_us=%.0f "
      .. "connect_errors=%.0f read_errors=%.0f write_errors=%.0f status_errors=%.0f timeouts=%.0f\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency.max,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
