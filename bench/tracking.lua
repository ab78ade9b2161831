-- wrk script: GET /api/v1/tracking/{code}, each request with a code drawn at random from
-- a file of real dossier codes (one a line), named by $BENCH_CODES. Every wrk thread has
-- its own Lua state, hence its own copy of the list and its own random sequence.
-- BENCH_ORDER=walk takes the codes in order instead, each thread its own slice, to warm
-- the database up with every code once before a measure.
local codes = {}
local path = os.getenv("BENCH_CODES") or "codes.txt"
local f = assert(io.open(path, "r"), "cannot open " .. path)
for line in f:lines() do
	if #line > 0 then
		codes[#codes + 1] = line
	end
end
f:close()
assert(#codes > 0, "no codes in " .. path)

local walk = os.getenv("BENCH_ORDER") == "walk"
local threads = 0
local next_index

function setup(thread)
	threads = threads + 1
	thread:set("id", threads)
end

function init(args)
	math.randomseed(7 + 7919 * (id or 0))
	next_index = id or 1
end

function request()
	local i
	if walk then
		i = (next_index - 1) % #codes + 1
		next_index = next_index + (tonumber(os.getenv("BENCH_WRK_THREADS")) or 2)
	else
		i = math.random(#codes)
	end
	return wrk.format("GET", "/api/v1/tracking/" .. codes[i])
end
