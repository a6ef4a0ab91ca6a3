-- wrk script: POST the body in BODY_FILE with a fresh Idempotency-Key per request (thread id + counter).
local body_file = os.getenv("BODY_FILE")
local f = assert(io.open(body_file, "r"))
local body = f:read("*a")
f:close()
local counter = 0
local thread_id = 0
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
end

function init(args)
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = os.getenv("KEY_PREFIX") .. "-" .. thread_id .. "-" .. counter
  return wrk.format()
end

function done(summary, latency, requests)
  io.write(string.format("P50_MS %.2f\nP99_MS %.2f\nNON2XX %d\n", latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000, summary.errors.status))
end
