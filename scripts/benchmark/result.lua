-- Loaded by scripts/benchmark/wrk.py with `wrk -s`: after the run, one line of JSON
-- that the benchmark reads instead of parsing wrk's human-readable summary.

-- With an argument (after `--`), every request is a POST of that JSON body (GraphQL).
init = function(args)
  if args[1] then
    wrk.method = "POST"
    wrk.body = args[1]
    wrk.headers["Content-Type"] = "application/json"
  end
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
      '"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.timeout, errors.status))
end
