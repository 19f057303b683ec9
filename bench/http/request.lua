-- wrk request generator for bench/http/run.sh: a POST with a bearer token, either one fixed
-- token (BENCH_TOKEN) or a different token per request from BENCH_TOKENS_FILE.
local body = os.getenv("BENCH_BODY")
local fixed = os.getenv("BENCH_TOKEN") or ""
local tokens = {}
local file = os.getenv("BENCH_TOKENS_FILE") or ""
if file ~= "" then
  for line in io.lines(file) do tokens[#tokens + 1] = line end
end
local i = 0

function init(args)
  i = math.random(1, math.max(#tokens, 1))
end

function request()
  local token = fixed
  if #tokens > 0 then
    i = i % #tokens + 1
    token = tokens[i]
  end
  return wrk.format("POST", nil, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end
