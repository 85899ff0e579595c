-- wrk's request script for `npm run bench`: rotates over the review bodies in the file named by
-- BENCH_REVIEWS (one per line: path, TAB, uid offset, TAB, body; offset -1 for a body sent byte for
-- byte) and stamps a fresh uid into each, then prints the results as one JSON line.
local headers = { ["Content-Type"] = "application/json" }
local reviews = {}
for line in io.lines(os.getenv("BENCH_REVIEWS")) do
  local path, offset, body = line:match("^([^\t]*)\t(-?%d+)\t(.*)$")
  offset = tonumber(offset)
  if offset < 0 then
    -- Formatted on first use: wrk.format adds the Host header, which is not known yet while loading.
    reviews[#reviews + 1] = { path = path, body = body }
  else
    reviews[#reviews + 1] = { path = path, head = body:sub(1, offset), tail = body:sub(offset + 37) }
  end
end
if #reviews == 0 then error("no reviews in " .. tostring(os.getenv("BENCH_REVIEWS"))) end

math.randomseed(os.time())
local prefix = string.format("%08x", math.random(0, 0x7fffffff))
local sent = 0

request = function()
  sent = sent + 1
  local review = reviews[(sent - 1) % #reviews + 1]
  if review.body then
    review.request = review.request or wrk.format("POST", review.path, headers, review.body)
    return review.request
  end
  local uid = string.format("%s-0000-4000-8000-%012x", prefix, sent)
  return wrk.format("POST", review.path, headers, review.head .. uid .. review.tail)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
