-- A mixed load for bench_load: each request is drawn from the plan bench_load writes (a Lua file
-- named by the first argument after `--`): pages and searches, feeds, the kept catalogue PDF,
-- producers holding and booking booths, distributors asking producers for meetings. Each wrk
-- thread has its own random sequence; each logged-in request carries its user's session cookie
-- and CSRF token. Printed once the run is over: counts, latency percentiles in µs, and answers
-- by class.

local threads = {}

function setup(thread)
  thread:set("number", #threads + 1)
  table.insert(threads, thread)
end

local plan, total_weight
server_errors, refused, answered = 0, 0, 0

function init(args)
  plan = dofile(args[1])
  math.randomseed(1000 + number)
  total_weight = 0
  for _, entry in ipairs(plan.mix) do total_weight = total_weight + entry[2] end
end

local function pick(list) return list[math.random(#list)] end

local function form(user, path, fields)
  local parts = { "_csrf_token=" .. user.token }
  for _, field in ipairs(fields) do table.insert(parts, field) end
  return wrk.format("POST", path, {
    ["Cookie"] = user.cookie, ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept-Language"] = "vi",
  }, table.concat(parts, "&"))
end

local makers = {
  read = function() return wrk.format("GET", pick(plan.reads), { ["Accept-Language"] = "vi" }) end,
  search = function() return wrk.format("GET", pick(plan.searches), { ["Accept-Language"] = "vi" }) end,
  feed = function() return wrk.format("GET", pick(plan.feeds)) end,
  pdf = function() return wrk.format("GET", plan.pdf, { ["Accept-Language"] = "vi" }) end,
  -- A producer holds a booth it saw free, or books the booth it holds with its product.
  apply = function()
    local user = pick(plan.producers)
    if math.random(2) == 1 then
      return form(user, "/events/" .. plan.fair .. "/hold", { "booth_id=" .. pick(plan.booths) })
    end
    return form(user, "/events/" .. plan.fair .. "/apply", { "product_ids=" .. user.product })
  end,
  -- A distributor asks a producer of the conference for a meeting (asked already: refused, 409).
  meet = function()
    local user = pick(plan.distributors)
    return form(user, "/events/" .. plan.conference .. "/meeting-requests", { "party=" .. pick(plan.producer_ids), "message=H%E1%BA%B9n+g%E1%BA%B7p" })
  end,
  mine = function()
    local user = pick(plan.producers)
    return wrk.format("GET", "/my/applications", { ["Cookie"] = user.cookie, ["Accept-Language"] = "vi" })
  end,
}

function request()
  local roll = math.random() * total_weight
  for _, entry in ipairs(plan.mix) do
    roll = roll - entry[2]
    if roll <= 0 then return makers[entry[1]]() end
  end
  return makers.read()
end

function response(status, headers, body)
  answered = answered + 1
  if status >= 500 then
    server_errors = server_errors + 1
  elseif status >= 400 then
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local fives, fours = 0, 0
  for _, thread in ipairs(threads) do
    fives = fives + thread:get("server_errors")
    fours = fours + thread:get("refused")
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d p50=%d p90=%d p95=%d p99=%d server_errors=%d refused=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    fives, fours, errors.connect + errors.read + errors.write + errors.timeout))
end
