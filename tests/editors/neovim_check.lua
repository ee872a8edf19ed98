-- Checks what a README configuration does in a real Neovim (0.7+), loaded with `-u`: a TOML file
-- that is not an ai-strategy file gets no server; `team.ai-strategy.toml` and `ai-strategy.toml`
-- get it; then the diagnostics, a hover, the code actions on AIS004 and fix-all.
-- Environment: AI_STRATEGY_FILE, AI_STRATEGY_NAMED (a *.ai-strategy.toml), AI_STRATEGY_OTHER
-- (Cargo.toml), AI_STRATEGY_OUT (the JSON file this writes).

local result = { errors = {} }

local function clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
end

local function all_clients()
  return (vim.lsp.get_clients or vim.lsp.get_active_clients)()
end

local function codes(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(found, { code = d.code or lsp.code, lnum = d.lnum, col = d.col, end_col = d.end_col })
  end
  return found
end

local function request(bufnr, method, params)
  local answers = vim.lsp.buf_request_sync(bufnr, method, params, 10000) or {}
  for _, answer in pairs(answers) do
    if answer.err then
      table.insert(result.errors, method .. ": " .. vim.inspect(answer.err))
    end
    return answer.result
  end
end

local function run()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("AI_STRATEGY_OTHER")))
  local other = vim.api.nvim_get_current_buf()
  result.clients_before = #all_clients()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("AI_STRATEGY_NAMED")))
  local named = vim.api.nvim_get_current_buf()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("AI_STRATEGY_FILE")))
  local bufnr = vim.api.nvim_get_current_buf()
  if not vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20) then
    table.insert(result.errors, "no diagnostics within 30 s")
    return
  end
  -- Attaching is asynchronous: counted once the server has answered.
  vim.wait(10000, function() return #clients(named) > 0 and #clients(bufnr) > 0 end, 20)
  result.other_clients = #clients(other)
  result.named_clients = #clients(named)
  result.clients = #clients(bufnr)
  result.all_clients = #all_clients()
  result.diagnostics = codes(bufnr)
  local uri = vim.uri_from_bufnr(bufnr)

  local hover = request(bufnr, "textDocument/hover", { textDocument = { uri = uri }, position = { line = 10, character = 2 } })
  result.hover = hover and hover.contents and (hover.contents.value or hover.contents) or vim.NIL

  local target
  for _, d in ipairs(result.diagnostics) do
    if d.code == "AIS004" then
      target = d
    end
  end
  if not target then
    table.insert(result.errors, "no AIS004 diagnostic")
    return
  end
  local range = { start = { line = target.lnum, character = target.col }, ["end"] = { line = target.lnum, character = target.end_col } }
  -- The LSP diagnostics of the line, as `vim.lsp.buf.code_action` sends them (before 0.10, the
  -- full LSP diagnostic is not kept in user_data).
  local line_diagnostics = {}
  if vim.fn.has("nvim-0.10") == 0 then
    line_diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, target.lnum)
  else
    for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = target.lnum })) do
      table.insert(line_diagnostics, d.user_data and d.user_data.lsp or {})
    end
  end
  result.actions = {}
  for _, action in ipairs(request(bufnr, "textDocument/codeAction", {
    textDocument = { uri = uri }, range = range, context = { diagnostics = line_diagnostics },
  }) or {}) do
    table.insert(result.actions, { title = action.title, kind = action.kind })
  end
  local whole = { start = { line = 0, character = 0 }, ["end"] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } }
  result.fix_all = {}
  for _, action in ipairs(request(bufnr, "textDocument/codeAction", {
    textDocument = { uri = uri }, range = whole, context = { diagnostics = {}, only = { "source.fixAll.ai-strategy" } },
  }) or {}) do
    table.insert(result.fix_all, { title = action.title, kind = action.kind })
  end
end

local ok, err = pcall(run)
if not ok then
  table.insert(result.errors, tostring(err))
end
vim.fn.writefile({ vim.fn.json_encode(result) }, os.getenv("AI_STRATEGY_OUT"))
vim.cmd("qall!")
