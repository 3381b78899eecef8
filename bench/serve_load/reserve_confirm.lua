-- wrk script: every connection alternates POST /v1/reserve of a new donation id
-- and POST /v1/confirm of it, so one reserve + confirm pair is two requests.
-- Use one connection per thread (-t N -c N): a thread's requests then go out in order.
-- MATCHFUND_TOKEN in the environment is the bearer token. Prints one JSON line at the end.
local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("prefix", "w" .. next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  n = 0
  headers = {
    ["Authorization"] = "Bearer " .. os.getenv("MATCHFUND_TOKEN"),
    ["Content-Type"] = "application/json",
  }
end

-- A confirm follows the answer to its reserve: wrk may build a request it never
-- sends, so the pairing follows the answers rather than a count of requests.
function request()
  if confirm_next then
    local id = confirm_next
    confirm_next = nil
    return wrk.format("POST", "/v1/confirm", headers, string.format('{"id":"%s"}', id))
  end
  n = n + 1
  reserved = prefix .. "-" .. n
  local body = string.format('{"id":"%s","donor":"d%d","project":"p%d","amount":"10.00"}',
                             reserved, n % 200000, n % 6466)
  return wrk.format("POST", "/v1/reserve", headers, body)
end

function response(status, headers, body)
  if reserved then
    confirm_next = reserved
    reserved = nil
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "requests_per_second": %.1f, "non_2xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p99_us": %d, "p999_us": %d, "max_us": %d}\n',
    summary.requests, seconds, summary.requests / seconds, summary.errors.status, errors,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
