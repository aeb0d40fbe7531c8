-- wrk script of bench/peer/run.sh: every request is a POST of a JSON body
-- with a new email address (a create, never a match), and for billbridge a
-- new Idempotency-Key. Arguments after "--": the body template, where
-- {n} becomes a number unique across threads and runs, then "idem" to send
-- Idempotency-Key: <that number>.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local template, idem, prefix, counter
function init(args)
  template = args[1]
  idem = args[2] == "idem"
  prefix = os.time() .. "-" .. tid .. "-"
  counter = 0
end

function request()
  counter = counter + 1
  local n = prefix .. counter
  local headers = { ["Content-Type"] = "application/json" }
  for k, v in pairs(wrk.headers) do -- the -H headers (wrk.format does not merge them)
    headers[k] = v
  end
  if idem then
    headers["Idempotency-Key"] = "peer-" .. n
  end
  return wrk.format("POST", nil, headers, (template:gsub("{n}", n)))
end
