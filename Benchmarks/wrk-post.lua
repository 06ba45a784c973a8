-- wrk script for Benchmarks/run.sh: POSTs call_consult bodies with the session cookie.
-- Arguments (after `--`): COOKIE (NAME=value, may be "-" for none) BODYFILE [BODYFILE…]
-- With one body file every request carries it; with several, the requests rotate through them
-- (the memory run mixes valid, invalid and hostile bodies this way).
local bodies = {}
local index = 0

function init(args)
    local cookie = args[1]
    for i = 2, #args do
        local file = assert(io.open(args[i], "rb"))
        bodies[#bodies + 1] = file:read("*a")
        file:close()
    end
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/xml; charset=utf-8"
    if cookie ~= nil and cookie ~= "-" then
        wrk.headers["Cookie"] = cookie
    end
    wrk.body = bodies[1]
end

function request()
    if #bodies == 1 then
        return wrk.format(nil, nil, nil, bodies[1])
    end
    index = index % #bodies + 1
    return wrk.format(nil, nil, nil, bodies[index])
end
