-- Drives a real Neovim (0.7+) against `ai-strategy lsp`: open the file, wait for the pushed
-- diagnostics, ask for a hover, a code lens and the code actions, apply the preferred quick fix,
-- wait for its diagnostic to go, then write everything Neovim got to a JSON file and quit.
-- Inputs come from the environment: AI_STRATEGY_SERVER (JSON list: the command),
-- AI_STRATEGY_FILE (the ai-strategy.toml to open), AI_STRATEGY_OUT (where to write the JSON).

local out_path = os.getenv("AI_STRATEGY_OUT")
local result = { errors = {} }

local function write_and_quit()
  local ok, encoded = pcall(vim.fn.json_encode, result)
  if not ok then
    encoded = vim.fn.json_encode({ errors = { "json_encode failed: " .. tostring(encoded) } })
  end
  vim.fn.writefile({ encoded }, out_path)
  vim.cmd("qall!")
end

local function codes(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(found, {
      code = d.code or lsp.code,
      lnum = d.lnum,
      col = d.col,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      source = d.source or lsp.source,
    })
  end
  return found
end

local function has_code(bufnr, code)
  for _, d in ipairs(codes(bufnr)) do
    if d.code == code then
      return true
    end
  end
  return false
end

local function run()
  local cmd = vim.fn.json_decode(os.getenv("AI_STRATEGY_SERVER"))
  local file = os.getenv("AI_STRATEGY_FILE")
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()

  local client_id = vim.lsp.start_client({
    name = "ai-strategy",
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(file, ":h"),
    init_options = { settings = { inlayHints = true } },
    flags = { debounce_text_changes = 0 },
  })
  if not client_id then
    table.insert(result.errors, "start_client returned nil")
    return
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  local started = vim.loop.hrtime()
  local got = vim.wait(20000, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 20)
  result.first_diagnostics_ms = (vim.loop.hrtime() - started) / 1e6
  if not got then
    table.insert(result.errors, "no diagnostics within 20 s")
    return
  end
  result.diagnostics = codes(bufnr)

  local client = vim.lsp.get_client_by_id(client_id)
  result.server_name = client.server_capabilities and "ok" or "none"

  -- hover on the `update_frequency` key (line 11, column 2, 0-based 10/2)
  local hover = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = 10, character = 2 },
  }, 10000)
  for _, response in pairs(hover or {}) do
    if response.result and response.result.contents then
      local contents = response.result.contents
      result.hover = contents.value or contents
    end
    if response.err then
      table.insert(result.errors, "hover: " .. vim.inspect(response.err))
    end
  end

  local lenses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeLens", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  }, 10000)
  for _, response in pairs(lenses or {}) do
    for _, lens in ipairs(response.result or {}) do
      result.code_lens = lens.command and lens.command.title
    end
  end

  -- code actions on the AIS004 diagnostic
  local target
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    if (d.code or lsp.code) == "AIS004" then
      target = d
    end
  end
  if not target then
    table.insert(result.errors, "no AIS004 diagnostic")
    return
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = {
      start = { line = target.lnum, character = target.col },
      ["end"] = { line = target.end_lnum or target.lnum, character = target.end_col or target.col },
    },
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, target.lnum) },
  }
  local actions = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 10000)
  result.actions = {}
  local chosen
  for _, response in pairs(actions or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(result.actions, { title = action.title, kind = action.kind, preferred = action.isPreferred })
      if action.isPreferred and action.edit and not chosen then
        chosen = action
      end
    end
  end
  if not chosen then
    table.insert(result.errors, "no preferred quick fix")
    return
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, "utf-16")
  result.applied = chosen.title
  result.line_after_fix = vim.api.nvim_buf_get_lines(bufnr, target.lnum, target.lnum + 1, false)[1]
  local gone = vim.wait(20000, function()
    return not has_code(bufnr, "AIS004")
  end, 20)
  if not gone then
    table.insert(result.errors, "AIS004 still reported after the fix")
  end
  result.after = codes(bufnr)
  vim.lsp.stop_client(client_id)
end

local ok, err = pcall(run)
if not ok then
  table.insert(result.errors, tostring(err))
end
write_and_quit()
