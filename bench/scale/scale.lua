-- wrk script of bench/scale/run.sh. Arguments after "--", the mode:
--   plain        the URL as given: after the first request, polls the
--                gateway answers from its page cache (the page stored
--                under this exact path and query at the account's version)
--   nonce        the URL plus "&nocache=<n>", n unique across threads: the
--                gateway ignores the unknown parameter, so the page is the
--                same, but every request misses the page cache and is a
--                database read and a rendering
--   after LO HI  the URL plus "&after=<cursor>" of a random position in
--                [LO, HI]: a page of the feed deep in its history, each a
--                cache miss too (cursors are opaque to clients; the bench
--                builds them as triggers.EncodeCursor does)
-- When done it prints one line: "scale: requests seconds p50_ms p99_ms
-- non_2xx_3xx socket_errors".
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

-- cursor returns the feed cursor of position seq: base64url without
-- padding of "bbc1.<seq>".
local function cursor(seq)
  local s, out = "bbc1." .. seq, {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = b == nil and 2 or (c == nil and 3 or 4)
    for k = 1, chars do
      local v = math.floor(n / 2 ^ (6 * (4 - k))) % 64
      out[#out + 1] = b64:sub(v + 1, v + 1)
    end
  end
  return table.concat(out)
end

local mode, lo, hi, counter, path
function init(args)
  mode, lo, hi = args[1] or "plain", tonumber(args[2]), tonumber(args[3])
  counter = 0
  path = wrk.path
  math.randomseed(os.time() * 100 + tid)
end

function request()
  counter = counter + 1
  if mode == "after" then
    return wrk.format(nil, path .. "&after=" .. cursor(math.random(lo, hi)))
  elseif mode == "nonce" then
    return wrk.format(nil, path .. "&nocache=" .. tid .. "-" .. counter)
  end
  return wrk.format(nil, path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("scale: %d %.3f %.3f %.3f %d %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.status,
    e.connect + e.read + e.write + e.timeout))
end
