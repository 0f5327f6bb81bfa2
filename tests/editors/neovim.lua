-- The real-editor test: Neovim's own LSP client on a PySpark file.
--
-- Run headless by tests/editors.rs:
--   nvim --headless --clean -u NONE -c "luafile tests/editors/neovim.lua"
-- with SPARKGUARD_BIN (the binary), SPARKGUARD_FILE (a PySpark file with one
-- unbounded collect) and SPARKGUARD_LINE (its 0-based line) in the environment.
-- Prints "ok: ..." lines, and exits non-zero with "FAIL: ..." at the first
-- failed check. Works with Neovim 0.7 (Debian 12) and later.

local bin = assert(os.getenv("SPARKGUARD_BIN"), "SPARKGUARD_BIN")
local file = assert(os.getenv("SPARKGUARD_FILE"), "SPARKGUARD_FILE")
local want_line = tonumber((assert(os.getenv("SPARKGUARD_LINE"), "SPARKGUARD_LINE")))
local TIMEOUT = 30000

local function fail(message)
  io.stderr:write("FAIL: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local function ok(message)
  io.stdout:write("ok: " .. message .. "\n")
end

local function sparkguard_diagnostics(buf)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if d.source == "sparkguard" then
      table.insert(found, { code = code, lnum = d.lnum, col = d.col, message = d.message })
    end
  end
  return found
end

local function run()
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "sparkguard",
    cmd = { bin, "server" },
    root_dir = vim.fn.fnamemodify(file, ":h"),
    flags = { debounce_text_changes = 0 },
  })
  if not client_id then
    return fail("the client did not start")
  end
  vim.lsp.buf_attach_client(buf, client_id)

  if not vim.wait(TIMEOUT, function() return #sparkguard_diagnostics(buf) > 0 end, 20) then
    return fail("no diagnostics from sparkguard")
  end
  local d = sparkguard_diagnostics(buf)[1]
  if d.code ~= "SG101" then
    return fail("first diagnostic is " .. tostring(d.code) .. ", want SG101")
  end
  if d.lnum ~= want_line then
    return fail("SG101 on line " .. d.lnum .. ", want " .. want_line)
  end
  ok("SG101 on line " .. d.lnum .. ": " .. d.message:gsub("\n.*", ""))

  local uri = vim.uri_from_bufnr(buf)
  local position = { line = d.lnum, character = d.col }
  local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover",
    { textDocument = { uri = uri }, position = position }, TIMEOUT)
  local reply = hover and hover[client_id]
  local value = reply and reply.result and reply.result.contents and reply.result.contents.value
  if not value or not value:find("collect%-to%-driver") or not value:find("## What it does") then
    return fail("hover has no rule docs: " .. vim.inspect(reply))
  end
  ok("hover shows the docs of collect-to-driver")

  local actions = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", {
    textDocument = { uri = uri },
    range = { start = position, ["end"] = position },
    context = { diagnostics = {} },
  }, TIMEOUT)
  local chosen
  for _, action in ipairs((actions and actions[client_id] and actions[client_id].result) or {}) do
    if action.title == "Ignore SG101 on this line" then
      chosen = action
    end
  end
  if not chosen then
    return fail("no suppression action: " .. vim.inspect(actions))
  end
  ok("code action: " .. chosen.title)
  vim.lsp.util.apply_workspace_edit(chosen.edit, "utf-16")
  vim.cmd("write")

  local cleared = vim.wait(TIMEOUT, function()
    for _, found in ipairs(sparkguard_diagnostics(buf)) do
      if found.code == "SG101" then
        return false
      end
    end
    return true
  end, 20)
  if not cleared then
    return fail("SG101 still reported after the suppression: " .. vim.inspect(sparkguard_diagnostics(buf)))
  end
  local handle = assert(io.open(file, "r"))
  local saved = handle:read("*a")
  handle:close()
  if not saved:find("# sparkguard: ignore[SG101]", 1, true) then
    return fail("the saved file has no suppression comment:\n" .. saved)
  end
  ok("saved with the suppression comment, and no SG101 left")

  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
  vim.cmd("qall!")
end

local success, problem = pcall(run)
if not success then
  fail("error: " .. tostring(problem))
end
