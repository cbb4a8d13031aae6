-- Drives a real Neovim with the roster plugin against a copy of the
-- fixtures. Run by tests/nvim.rs; writes what it saw as JSON to $RESULT.
local ws = os.getenv('ROSTER_WS')
local bin = os.getenv('ROSTER_BIN')
local result_path = os.getenv('RESULT')
local result = { steps = {} }

local function finish()
  local f = io.open(result_path, 'w')
  f:write(vim.json.encode(result))
  f:close()
  vim.cmd('qall!')
end

local function step(name, fn)
  local ok, err = pcall(fn)
  table.insert(result.steps, { name = name, ok = ok, err = ok and nil or tostring(err) })
end

local function request(method, params, bufnr)
  local responses, err = vim.lsp.buf_request_sync(bufnr or 0, method, params, 10000)
  if responses == nil then
    error(method .. ': ' .. tostring(err))
  end
  for _, r in pairs(responses) do
    if r.error ~= nil then
      error(method .. ': ' .. vim.inspect(r.error))
    end
    if r.result ~= nil then
      return r.result
    end
  end
  return nil
end

local function find_pos(pattern)
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  for i, line in ipairs(lines) do
    local s = line:find(pattern, 1, true)
    if s then
      return i - 1, s - 1
    end
  end
  error('not found: ' .. pattern)
end

local function position_params(line, byte_col)
  local client = require('roster').client(0)
  local enc = client and client.offset_encoding or 'utf-16'
  local text = vim.api.nvim_buf_get_lines(0, line, line + 1, false)[1]
  local col = byte_col
  if enc == 'utf-16' then
    col = select(2, vim.str_utfindex(text, byte_col))
  end
  return { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = line, character = col } }
end

local function code_of(d)
  if d.code then
    return d.code
  end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code
end

require('roster').setup({ cmd = { bin, 'lsp' } })
local article = ws .. '/articles/khac-phuc-hau-qua-bao-so-3.md'
vim.cmd('edit ' .. article)
local article_buf = vim.api.nvim_get_current_buf()

step('attach', function()
  result.attached = vim.wait(15000, function()
    return require('roster').client(0) ~= nil
  end, 50)
  assert(result.attached, 'client did not attach')
end)

step('diagnostics', function()
  vim.wait(15000, function()
    return #vim.diagnostic.get(article_buf) > 0
  end, 50)
  result.codes = {}
  result.sources = {}
  for _, d in ipairs(vim.diagnostic.get(article_buf)) do
    table.insert(result.codes, code_of(d))
    table.insert(result.sources, d.source)
  end
end)

step('completion', function()
  local last = vim.api.nvim_buf_line_count(0)
  vim.api.nvim_buf_set_lines(0, last, last, false, { 'Hôm nay đồng chí dang xuan' })
  local line = last
  local text = vim.api.nvim_buf_get_lines(0, line, line + 1, false)[1]
  local items
  vim.wait(10000, function()
    local r = request('textDocument/completion', position_params(line, #text))
    items = r and (r.items or r) or {}
    return #items > 0
  end, 100)
  result.completion = {}
  for _, item in ipairs(items or {}) do
    table.insert(result.completion, item.label)
  end
end)

step('omnifunc', function()
  -- roster's omnifunc keeps the diacritic-insensitive match that Neovim's
  -- own filtering would drop, and replaces the whole typed prefix.
  result.omnifunc_option = vim.bo.omnifunc
  local last = vim.api.nvim_buf_line_count(0)
  local text = vim.api.nvim_buf_get_lines(0, last - 1, last, false)[1]
  vim.api.nvim_win_set_cursor(0, { last, #text })
  local roster = require('roster')
  result.omni_start = roster.omnifunc(1, '')
  result.omni_prefix_start = #'Hôm nay đồng chí '
  local items = roster.omnifunc(0, text:sub(result.omni_start + 1))
  result.omni_words = {}
  for _, it in ipairs(items) do
    table.insert(result.omni_words, it.word)
  end
end)

step('hover', function()
  local line, col = find_pos('Vũ Xuân Cường')
  local r = request('textDocument/hover', position_params(line, col + 2))
  result.hover = r and r.contents and (r.contents.value or r.contents) or vim.NIL
end)

step('quickfix', function()
  local target
  for _, d in ipairs(vim.diagnostic.get(article_buf)) do
    if code_of(d) == 'title-mismatch' then
      target = d
    end
  end
  assert(target, 'no title-mismatch diagnostic')
  -- Neovim keeps byte columns; the server wants its own encoding.
  local s = position_params(target.lnum, target.col).position
  local e = position_params(target.end_lnum, target.end_col).position
  local lsp_diag = {
    range = { start = s, ['end'] = e },
    message = target.message,
    code = code_of(target),
    source = target.source,
  }
  local actions = request('textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(article_buf) },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag } },
  }, article_buf) or {}
  local fix
  for _, a in ipairs(actions) do
    if a.kind == 'quickfix' and a.edit then
      fix = a
      break
    end
  end
  assert(fix, 'no quick fix offered: ' .. vim.inspect(actions) .. ' for ' .. vim.inspect(lsp_diag))
  local client = require('roster').client(article_buf)
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or 'utf-16')
  local l = lsp_diag.range.start.line
  result.fixed_line = vim.api.nvim_buf_get_lines(article_buf, l, l + 1, false)[1]
  for _, edits in pairs(fix.edit.changes or {}) do
    result.fix_text = edits[1].newText
  end
end)

step('definition', function()
  local line, col = find_pos('Vũ Xuân Cường')
  vim.api.nvim_win_set_cursor(0, { line + 1, col + 2 })
  vim.lsp.buf.definition()
  vim.wait(10000, function()
    return vim.api.nvim_buf_get_name(0):find('people/', 1, true) ~= nil
  end, 50)
  result.definition = vim.api.nvim_buf_get_name(0)
  result.definition_line = vim.api.nvim_win_get_cursor(0)[1]
end)

finish()
